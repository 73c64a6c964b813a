import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { startAuthStack, type AuthStack } from '../auth/auth-fixture';
import { buildBinaries } from '../harness/built-binaries';
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
