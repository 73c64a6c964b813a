import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/*
 * `npm test` builds the CLI and the gateway before Jest starts. A test file run on its own builds what is
 * missing or stale here instead, and only then: compiling in place while another Jest worker runs the CLI
 * rewrites files under that process (a half-written module reads as "not a function").
 */
const repoRoot = join(__dirname, '..', '..');
export const CLI_BINARY = join(repoRoot, 'client', 'cli', 'dist', 'bin', 'rack-gateway.js');

function newestSourceTime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Compiles the CLI when dist/ is missing or older than its sources, so the tests never run a stale
 * binary, and the mock Google login when its compiled main.js is missing.
 */
export function buildBinaries(): void {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  let builtAt = 0;
  try {
    builtAt = statSync(CLI_BINARY).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtAt < newestSourceTime(join(repoRoot, 'client', 'cli', 'src'))) {
    execFileSync(process.execPath, [tsc, '-p', join(repoRoot, 'client', 'cli', 'tsconfig.json')], {
      stdio: 'inherit',
    });
  }
  try {
    statSync(join(repoRoot, 'dist', 'src', 'dev', 'mock-oauth', 'main.js'));
  } catch {
    execFileSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}
