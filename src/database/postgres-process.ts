import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresBinaries, ServerUser } from './postgres-binaries';

const START_TIMEOUT_MS = 60_000;
const KEPT_OUTPUT_CHARS = 4_000;
const READY = 'database system is ready to accept connections';

/** What initdb and postgres run with: the binaries, and the user to run as when we are root. */
export interface PostgresRuntime {
  binaries: PostgresBinaries;
  user?: ServerUser;
  onLog?: (line: string) => void;
}

/** Creates a new cluster whose superuser `postgres` logs in with `password` (scram, over TCP only). */
export async function initialiseCluster(
  runtime: PostgresRuntime,
  clusterDir: string,
  password: string,
): Promise<void> {
  // initdb reads the password from a file; it must be readable by the server user and gone afterwards.
  const passwordFile = join(tmpdir(), `rgw-pg-password-${randomBytes(8).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runtime.user) chownSync(passwordFile, runtime.user.uid, runtime.user.gid);
  try {
    const child = spawnAs(runtime, runtime.binaries.initdb, [
      `--pgdata=${clusterDir}`,
      '--auth=password',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--no-locale',
    ]);
    const output = collectOutput(child, runtime.onLog);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`initdb could not be started: ${error.message}`)));
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${lastLines(output())}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts the server and resolves once it accepts connections; rejects with its last words if it stops first. */
export function startServer(
  runtime: PostgresRuntime,
  clusterDir: string,
  port: number,
): Promise<ChildProcess> {
  const child = spawnAs(runtime, runtime.binaries.postgres, [
    '-D',
    clusterDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    // English messages: readiness is recognised by its log line.
    '-c',
    'lc_messages=C',
  ]);
  const output = collectOutput(child, runtime.onLog);
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill('SIGINT');
      reject(new Error(`PostgreSQL ${reason}: ${lastLines(output())}`));
    };
    const timer = setTimeout(
      () => fail(`did not start within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const onClose = (code: number | null): void => fail(`stopped while starting (exit code ${code})`);
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('close', onClose);
    child.stderr?.on('data', () => {
      if (!output().includes(READY)) return;
      clearTimeout(timer);
      child.off('close', onClose);
      resolve(child);
    });
  });
}

/** Fast shutdown (SIGINT): ends sessions, checkpoints, exits. */
export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

function spawnAs(runtime: PostgresRuntime, program: string, args: string[]): ChildProcess {
  const ids = runtime.user ? { uid: runtime.user.uid, gid: runtime.user.gid } : {};
  return spawn(program, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collectOutput(child: ChildProcess, onLog?: (line: string) => void): () => string {
  let kept = '';
  const take = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    onLog?.(text);
    kept = (kept + text).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => kept;
}

function lastLines(output: string): string {
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.slice(-3).join(' | ') || 'no output';
}
