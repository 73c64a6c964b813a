import { createGatewayApp } from '../src/app.factory';
import { loadConfig } from '../src/config/load-config';
import { throwawayGatewayEnv } from '../src/dev/throwaway-gateway-env';
import { expandPatterns } from '../src/rbac/permission-match';
import { permissionsForRoles } from '../src/rbac/roles';
import { ApiTokensService } from '../src/tokens/api-tokens.service';
import { UsersService } from '../src/users/users.service';
import { countQueriesOverIpc } from './query-counter';

/**
 * The gateway as the benchmark runs it: its own process (so its RSS is its own), loopback only, an admin
 * and a viewer bootstrapped and an API token minted for each. Prints one JSON line
 * `{"port","token","viewerToken"}` when listening. `BENCH_GATEWAY_ENV` (JSON) overrides settings: the flood
 * benchmark runs with the real rate limits and a trusted proxy hop, so its clients can have addresses.
 */
async function main(): Promise<void> {
  countQueriesOverIpc();
  const port = Number(process.env.BENCH_GATEWAY_PORT);
  const config = loadConfig({
    ...throwawayGatewayEnv(port, process.env.DATABASE_URL ?? ''),
    RACK_URL: process.env.RACK_URL,
    RACK_TOKEN: process.env.RACK_TOKEN,
    ADMIN_USERS: 'bench@example.com',
    VIEWER_USERS: 'viewer@example.com',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    ...(JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') as Record<string, string>),
  });
  const app = await createGatewayApp(config, process.env.DATABASE_URL ?? '');
  await app.listen(port, '127.0.0.1');
  const user = await app.get(UsersService).getByEmail('bench@example.com');
  const permissions = expandPatterns(permissionsForRoles(user.roles)).filter((p) => p.startsWith('convox:'));
  const { token } = await app
    .get(ApiTokensService)
    .create(
      user,
      { name: 'bench', permissions },
      { email: user.email, permissions: permissionsForRoles(user.roles) },
    );
  const viewer = await app.get(UsersService).getByEmail('viewer@example.com');
  const { token: viewerToken } = await app
    .get(ApiTokensService)
    .create(
      viewer,
      { name: 'bench-viewer', role: 'viewer' },
      { email: user.email, permissions: permissionsForRoles(user.roles) },
    );
  // An orderly exit on request: `node --cpu-prof` writes its profile only when the process exits by itself.
  process.on('message', (message: unknown) => {
    if (message === 'exit') void app.close().finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ port, token, viewerToken })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
