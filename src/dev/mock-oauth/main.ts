/**
 * Standalone mock Google login (an OpenID Connect provider) for development and end-to-end tests.
 * Run it with `node dist/src/dev/mock-oauth/main.js`, or from code with spawnMockOAuth() (spawn.ts): it is a
 * separate process because oidc-provider is an ES module, which Jest cannot load.
 *
 * Environment:
 *   MOCK_OAUTH_PORT                     port on 127.0.0.1 (default 3345; 0 = any free port)
 *   MOCK_OAUTH_ISSUER                   issuer URL (default http://127.0.0.1:<port>)
 *   MOCK_OAUTH_CLIENT_ID                default rack-gateway-dev
 *   MOCK_OAUTH_CLIENT_SECRET            default rack-gateway-dev-secret
 *   MOCK_OAUTH_REDIRECT_URIS            comma list (default http://127.0.0.1:8447/api/v1/auth/web/callback)
 *   MOCK_OAUTH_POST_LOGOUT_REDIRECT_URIS  comma list for end-session redirects (default none)
 *   MOCK_OAUTH_EXIT_ON_STDIN_CLOSE      "1": exit when stdin closes, so a crashed parent leaves no orphan
 *
 * Prints exactly one line `mock-oauth listening <issuer>` on stdout once it accepts requests.
 */
import { startMockOAuthServer } from './mock-oauth-server';
import { READY_LINE_PREFIX } from './ready-line';

const DEFAULT_PORT = 3345;
const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8447/api/v1/auth/web/callback';

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MOCK_OAUTH_PORT must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

function readList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

async function main(): Promise<void> {
  const env = process.env;
  const redirectUris = readList(env.MOCK_OAUTH_REDIRECT_URIS);
  const running = await startMockOAuthServer({
    port: readPort(env.MOCK_OAUTH_PORT),
    issuer: env.MOCK_OAUTH_ISSUER || undefined,
    client: {
      clientId: env.MOCK_OAUTH_CLIENT_ID || 'rack-gateway-dev',
      clientSecret: env.MOCK_OAUTH_CLIENT_SECRET || 'rack-gateway-dev-secret',
      redirectUris: redirectUris.length > 0 ? redirectUris : [DEFAULT_REDIRECT_URI],
      postLogoutRedirectUris: readList(env.MOCK_OAUTH_POST_LOGOUT_REDIRECT_URIS),
    },
  });
  if (env.MOCK_OAUTH_EXIT_ON_STDIN_CLOSE === '1') {
    process.stdin.on('end', () => void running.close().finally(() => process.exit(0)));
    process.stdin.resume();
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.close().finally(() => process.exit(0)));
  }
  process.stdout.write(`${READY_LINE_PREFIX}${running.issuer}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `mock-oauth failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
