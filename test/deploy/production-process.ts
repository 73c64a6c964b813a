import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;
/** Preloaded so the process can load only what the production image holds (no dev dependencies). */
export const AS_IN_IMAGE = ['--require', join(__dirname, 'as-in-production-image.cjs')];
const STOP_GRACE_MS = 10_000;

/** The built production entry point running as its own process, as the image's CMD runs it. */
export interface ProductionProcess {
  port: number;
  /** Every stdout line so far (request log and audit JSON lines). */
  stdout: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` (with nothing outside the production image loadable) with `env` and nothing else (no inherited variables), and resolves once
 * `/healthz` answers 200 on the process's own address. Rejects, with the output so far, if the process
 * exits first or is not up within a minute; the process is then stopped.
 */
export async function startProductionProcess(env: Record<string, string>): Promise<ProductionProcess> {
  const child = spawn(process.execPath, [...AS_IN_IMAGE, join(REPO_ROOT, 'dist', 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
  const stop = () => stopProcess(child);
  const port = Number(env.PORT);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      const output = `${stdout.slice(-20).join('\n')}\n${stderr}`;
      throw new Error(`the production gateway on port ${port} did not come up:\n${output}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return { port, stdout, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a built command-line entry point (`dist/...js` and its arguments) with `env` only; resolves with stdout. */
export function runOperatorCommand(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...AS_IN_IMAGE, ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
