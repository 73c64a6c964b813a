import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { startAuthStack, type AuthStack } from '../auth/auth-fixture';
import { startServers } from '../harness/started-servers';
import { RACK_PASSWORD } from '../proxy/proxy-stack';

/**
 * The whole product for CLI end-to-end tests: a mock rack (objects stored in a known directory), a real
 * gateway in front of it, and the mock Google login. Promote and build delays are short so `--wait` and
 * `deploy` finish quickly.
 */
export interface CliGatewayStack {
  rack: MockRack;
  auth: AuthStack;
  gatewayUrl: string;
  /** Where the mock rack writes uploaded objects: `<objectsDir>/<app>/<key>`. */
  objectsDir: string;
  /** A scratch directory removed on close. */
  scratch: string;
  close(): Promise<void>;
}

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

export async function startCliGatewayStack(env: Record<string, string> = {}): Promise<CliGatewayStack> {
  buildBinaries();
  return startServers(async (servers) => {
    const scratch = servers.own(mkdtempSync(join(tmpdir(), 'cli-gateway-')), (folder) =>
      rmSync(folder, { recursive: true, force: true }),
    );
    const objectsDir = join(scratch, 'objects');
    mkdirSync(objectsDir);
    const rack = servers.own(
      await startMockRack({
        port: 0,
        password: RACK_PASSWORD,
        objectsDir,
        promoteDelayMs: 100,
        buildDelayMs: 300,
      }),
      (started) => started.close(),
    );
    const auth = servers.own(
      await startAuthStack({
        RACK_URL: rack.url,
        RACK_TOKEN: RACK_PASSWORD,
        RACK_TIMEOUT_MS: '5000',
        LOG_LEVEL: 'error',
        ...env,
      }),
      (started) => started.close(),
    );
    return {
      rack,
      auth,
      gatewayUrl: auth.gateway.url,
      objectsDir,
      scratch,
      close: () => servers.closeAll(),
    };
  });
}
