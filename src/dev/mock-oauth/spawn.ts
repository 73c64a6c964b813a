import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { READY_LINE_PREFIX } from './ready-line';

export interface SpawnMockOAuthOptions {
  /** 0 or omitted: the server picks a free port. */
  port?: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /**
   * How long to wait for the ready line before giving up. Default: MOCK_OAUTH_START_TIMEOUT_MS from the
   * environment (slow CI machines raise it there), else 60 s.
   */
  startTimeoutMs?: number;
}

export interface SpawnedMockOAuth {
  issuer: string;
  port: number;
  stop(): Promise<void>;
}

// A cold start compiles oidc-provider's ES modules; on a loaded two-core CI runner that took over 15 s.
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEPT_CHARS = 8_000;
const COMPILED_MAIN = join('dist', 'src', 'dev', 'mock-oauth', 'main.js');

/**
 * Starts the mock Google login as a child process running the compiled main.js (`npm run build` makes it).
 * A separate process because oidc-provider is an ES module that Jest cannot load; this file therefore must
 * never import it. The child exits when its stdin closes, so it dies with the parent even on a crash.
 */
export function spawnMockOAuth(options: SpawnMockOAuthOptions): Promise<SpawnedMockOAuth> {
  const mainPath = join(findRepositoryRoot(__dirname), COMPILED_MAIN);
  if (!existsSync(mainPath)) {
    return Promise.reject(new Error(`${mainPath} does not exist; run "npm run build" first`));
  }
  const child = spawn(process.execPath, [mainPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MOCK_OAUTH_PORT: String(options.port ?? 0),
      MOCK_OAUTH_CLIENT_ID: options.clientId,
      MOCK_OAUTH_CLIENT_SECRET: options.clientSecret,
      MOCK_OAUTH_REDIRECT_URIS: options.redirectUris.join(','),
      MOCK_OAUTH_POST_LOGOUT_REDIRECT_URIS: (options.postLogoutRedirectUris ?? []).join(','),
      MOCK_OAUTH_EXIT_ON_STDIN_CLOSE: '1',
      // The issuer is derived from the port the child actually bound, so an inherited value must not leak in.
      MOCK_OAUTH_ISSUER: '',
    },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
  });
  const startTimeoutMs = options.startTimeoutMs ?? startTimeoutFromEnvironment();

  return new Promise<SpawnedMockOAuth>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let settled = false;
    // A start that fails leaves nothing behind: the child is killed and reaped, and its pipes closed,
    // before the caller hears about it (an orphan or an open pipe keeps Jest from exiting).
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.close();
      void reap(child).then(() =>
        reject(new Error(`mock-oauth (pid ${child.pid}) ${reason}${stderr ? `:\n${stderr}` : ''}`)),
      );
    };
    const timer = setTimeout(
      () => fail(`did not start within ${startTimeoutMs / 1000} s (MOCK_OAUTH_START_TIMEOUT_MS)`),
      startTimeoutMs,
    );
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', (error) => fail(`could not be started (${error.message})`));

    lines.on('line', (line) => {
      if (settled || !line.startsWith(READY_LINE_PREFIX)) return;
      settled = true;
      clearTimeout(timer);
      const issuer = line.slice(READY_LINE_PREFIX.length).trim();
      resolve({ issuer, port: Number(new URL(issuer).port), stop: () => stopChild(child) });
    });
  });
}

function startTimeoutFromEnvironment(): number {
  const raw = process.env.MOCK_OAUTH_START_TIMEOUT_MS;
  const value = Number(raw);
  return raw && Number.isInteger(value) && value > 0 ? value : DEFAULT_START_TIMEOUT_MS;
}

/** Kills a child that failed to start and resolves once it has exited and its pipes are closed. */
function reap(child: ChildProcess): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null || child.pid === undefined
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited.then(() => {
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
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

/**
 * This file runs from `src/dev/mock-oauth` (Jest, through swc) or `dist/src/dev/mock-oauth` (compiled); the
 * nearest folder holding package.json is the repository root either way, because dist/ has none.
 */
function findRepositoryRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}
