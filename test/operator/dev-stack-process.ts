import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/free-port';

export const REPO_ROOT = join(__dirname, '..', '..');
const LAUNCHER = join('dist', 'src', 'dev', 'start-stack.js');
const READY_LINE = 'rack-gateway development stack is running';

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a newcomer's shell in the repository: no secrets, no DATABASE_URL; only the data
 * folder and spare ports differ from the defaults, so several test files can run side by side.
 */
export async function devShellEnv(dataDir: string, home: string): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    MOCK_RACK_PORT: String(await freePort()),
    MOCK_OAUTH_PORT: String(await freePort()),
    MOCK_SMTP_PORT: String(await freePort()),
    MOCK_WEBHOOK_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    AUDIT_STDOUT: 'false',
  };
}

/** Runs a program to its end and collects what it printed. */
export function run(
  program: string,
  args: string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
  timeoutMs = 120_000,
): Promise<CommandOutcome> {
  const child = spawn(program, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** One of the compiled operator entry points (what `npm run manage|migrate|audit:verify` run after building). */
export function operatorCommand(
  script: 'manage' | 'migrate' | 'audit:verify',
  args: string[],
  env: Record<string, string>,
) {
  const path = {
    manage: 'dist/src/manage/manage.cli.js',
    migrate: 'dist/src/database/migrate.cli.js',
    'audit:verify': 'dist/src/audit/verify.cli.js',
  }[script];
  return run(process.execPath, [join(REPO_ROOT, path), ...args], env);
}

export interface Launcher {
  child: ChildProcess;
  output(): string;
  /** Resolves once the banner is printed; rejects with the output if the launcher exits first. */
  ready: Promise<void>;
  /** SIGTERM to the launcher's process group (it, its database, the mock login), then waits for it. */
  stop(): Promise<void>;
}

/** `npm start` without the build step: the launcher in its own process group, as a terminal would run it. */
export function startLauncher(env: Record<string, string>, cwd = REPO_ROOT, timeoutMs = 120_000): Launcher {
  const child = spawn(process.execPath, [join(cwd, LAUNCHER)], {
    env,
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${output}`)), timeoutMs);
    const check = setInterval(() => {
      if (output.includes(READY_LINE)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    void exited.then(() => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`the launcher exited (code ${child.exitCode}):\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    output: () => output,
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
      await groupGone(child.pid!);
    },
  };
}

/** Waits until no process of the group is left (the database finishes its shutdown after the launcher). */
async function groupGone(pgid: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Removes a scratch folder and, when it held a stack's data, the cluster the launcher placed outside it
 * (as root, for a data folder the `postgres` user cannot enter, `<data>/postgres/pg` links elsewhere).
 */
export function removeScratch(scratch: string, dataDir: string): void {
  try {
    rmSync(readlinkSync(join(dataDir, 'postgres', 'pg')), { recursive: true, force: true });
  } catch {
    // not a link: the cluster is inside the scratch folder
  }
  rmSync(scratch, { recursive: true, force: true });
}
