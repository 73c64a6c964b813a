import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { expandPatterns } from '../../src/rbac/permission-match';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import type { GatewayAppOptions } from '../../src/app.factory';
import { startServers } from '../harness/started-servers';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

export const RACK_PASSWORD = 'rack-password-never-leaves-9c1e';

export type RoleName = 'viewer' | 'ops' | 'deployer' | 'admin';

export interface ProxyStack {
  rack: MockRack;
  gateway: TestGateway;
  /** `http://127.0.0.1:<port>/api/v1/rack-proxy` */
  proxyUrl: string;
  /** One API token per role, owned by `<role>@example.com`. */
  tokens: Record<RoleName, string>;
  /** A token of `owner` limited to `permissions`. */
  tokenWith(owner: RoleName, permissions: string[]): Promise<string>;
  close(): Promise<void>;
}

/** A mock rack and a real gateway in front of it, with one API token per role (e2e tests only). */
export async function startProxyStack(
  env: Record<string, string> = {},
  rack?: MockRack,
  options: GatewayAppOptions = {},
): Promise<ProxyStack> {
  return startServers(async (servers) => {
    // A rack passed in belongs to the caller, who closes it.
    const mockRack =
      rack ??
      servers.own(await startMockRack({ port: 0, password: RACK_PASSWORD, promoteDelayMs: 50 }), (started) =>
        started.close(),
      );
    const gateway = servers.own(
      await startTestGateway(
        {
          RACK_URL: mockRack.url,
          RACK_TOKEN: RACK_PASSWORD,
          RACK_TIMEOUT_MS: '2000',
          ADMIN_USERS: 'admin@example.com',
          DEPLOYER_USERS: 'deployer@example.com',
          OPS_USERS: 'ops@example.com',
          VIEWER_USERS: 'viewer@example.com',
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          ...env,
        },
        options,
      ),
      (started) => started.close(),
    );
    const users = gateway.app.get(UsersService);
    const apiTokens = gateway.app.get(ApiTokensService);
    const tokenWith = async (owner: RoleName, permissions?: string[]) => {
      const user = await users.getByEmail(`${owner}@example.com`);
      const grantor = { email: user.email, permissions: permissionsForRoles(user.roles) };
      // Role tokens carry every concrete rack permission the role holds (what a CLI login would get).
      const rackPermissions = expandPatterns(permissionsForRoles([owner])).filter((p) =>
        p.startsWith('convox:'),
      );
      const request = permissions
        ? { name: `${owner}-limited`, permissions }
        : { name: `${owner}-token`, permissions: rackPermissions };
      return (await apiTokens.create(user, request, grantor)).token;
    };
    const tokens = {
      viewer: await tokenWith('viewer'),
      ops: await tokenWith('ops'),
      deployer: await tokenWith('deployer'),
      admin: await tokenWith('admin'),
    };
    return {
      rack: mockRack,
      gateway,
      proxyUrl: `${gateway.url}/api/v1/rack-proxy`,
      tokens,
      tokenWith,
      close: () => servers.closeAll(),
    };
  });
}

/** The header the convox CLI sends: `RACK_URL=http://convox:<token>@gateway/api/v1/rack-proxy`. */
export function cliAuth(token: string): string {
  return `Basic ${Buffer.from(`convox:${token}`).toString('base64')}`;
}
