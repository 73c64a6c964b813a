import { randomBytes } from 'node:crypto';

/**
 * Settings for a short-lived gateway on loopback (tests, benchmarks, the OpenAPI writer): test mode, quiet
 * logs, no stdout audit lines, and fresh random secrets each time. `overrides` win.
 */
export function throwawayGatewayEnv(
  port: number,
  databaseUrl: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
    AUDIT_STDOUT: 'false',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl,
    ...overrides,
  };
}
