import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'stack.pid';

/**
 * One development stack per data folder. The launcher writes its pid here; a second `npm start` on the
 * same folder while that launcher lives is refused (it would fight over ports and the database), while a
 * file left by a launcher that was killed is simply taken over.
 */
export function claimStack(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, FILE);
  const other = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
  if (Number.isInteger(other) && other > 0 && other !== process.pid && isLauncher(other)) {
    throw new Error(
      `the development stack is already running from ${dataDir} (launcher pid ${other}); stop it first: kill ${other}`,
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
  };
}

function isLauncher(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  // Where /proc exists, make sure the pid was not reused by another program.
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('start-stack');
}
