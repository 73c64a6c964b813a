import type { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp, GatewayAppOptions } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { freePort } from './free-port';
import { createMigratedTestDatabase } from './test-database';

export interface TestGateway {
  url: string;
  app: NestExpressApplication;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a real gateway on a free loopback port with its own fresh (already migrated) database. `env` adds or overrides
 * settings (for example RACK_URL/RACK_TOKEN of a mock rack, GOOGLE_ISSUER of a mock login server);
 * `options.logDestination` receives the log lines (set LOG_LEVEL too: it is `silent` by default).
 */
export async function startTestGateway(
  env: Record<string, string | undefined> = {},
  options: GatewayAppOptions = {},
): Promise<TestGateway> {
  // A copy of the run's migrated template: the boot skips the migrations a fresh database would need
  // (tests of migrating an empty database pass DATABASE_URL from createTestDatabase).
  const databaseUrl = env.DATABASE_URL ?? (await createMigratedTestDatabase());
  // A test that must know the address up front (PUBLIC_URL on `localhost` for WebAuthn) passes PORT.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const config = loadConfig(throwawayGatewayEnv(port, databaseUrl, env));
  const app = await createGatewayApp(config, databaseUrl, options);
  try {
    await app.listen(port, '127.0.0.1');
  } catch (error) {
    // The app holds a database pool and timers already; a failed listen must not leave them running.
    await app.close().catch(() => undefined);
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, app, config, databaseUrl, close: () => app.close() };
}
