import 'reflect-metadata';
import { resolve, join } from 'node:path';
import { runGateway } from '../main';
import { loadConfig } from '../config/load-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { errorMessage } from '../errors/error-message';
import { devSecret, devStackSecrets } from './dev-secrets';
import { stackBanner } from './stack-banner';
import { claimStack } from './stack-lock';
import { startMockRack } from './mock-rack';
import { spawnMockOAuth } from './mock-oauth/spawn';
import { startNotificationSinks } from './notification-sinks';

const DEV_USERS = ['admin@example.com', 'deployer@example.com', 'ops@example.com', 'viewer@example.com'];
const DEV_CLIENT_ID = 'rack-gateway-dev';
const DEV_CLIENT_SECRET = 'rack-gateway-dev-secret';

/** Real settings are present: run the gateway alone, in production mode unless NODE_ENV says otherwise. */
function hasRealSettings(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.RACK_URL && env.GOOGLE_CLIENT_ID);
}

/**
 * `npm start`. With nothing configured it boots the whole development stack on loopback: embedded PostgreSQL
 * (data under .data/ so a restart keeps it), the mock Convox rack, the mock Google login and the gateway.
 */
async function main(): Promise<void> {
  if (hasRealSettings(process.env)) {
    await runGateway(process.env);
    return;
  }
  const base = loadConfig({ ...process.env, NODE_ENV: 'development' });
  const dataDir = resolve(base.database.dataDir);
  // PUBLIC_URL may name the stack (http://localhost:8447): browsers offer passkeys on a name, never on an IP,
  // and Google's redirect must come back to the address the browser uses.
  const gatewayUrl = base.http.publicUrl;
  const releaseStack = claimStack(dataDir);
  process.once('exit', releaseStack);

  const database = base.database.url
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: base.database.embeddedPort,
        persistent: true,
        onNotice: (message) => console.log(message),
      });
  const rackPassword = process.env.RACK_TOKEN || devSecret(dataDir, 'rack-password');
  const rack = await startMockRack({
    port: base.devStack.mockRackPort,
    password: rackPassword,
    objectsDir: join(dataDir, 'mock-rack-objects'),
  });
  const oauth = await spawnMockOAuth({
    port: base.devStack.mockOAuthPort,
    clientId: DEV_CLIENT_ID,
    clientSecret: DEV_CLIENT_SECRET,
    redirectUris: [`${gatewayUrl}/api/v1/auth/web/callback`],
  });

  // Notifications go to local sinks that print them, unless real channels are configured (a setting in
  // the database or a variable in the environment wins over these environment-layer defaults).
  const sinks = await startNotificationSinks({
    webhookSecret: devSecret(dataDir, 'webhook-secret'),
    smtpPort: base.devStack.mockSmtpPort,
    webhookPort: base.devStack.mockWebhookPort,
    emailTo: ['admin@example.com'],
    print: (line) => console.log(`notification ${line}`),
  });

  // The gateway's own shutdown hook re-raises the signal once the app is closed, ending this process
  // mid-await: so everything that must happen is started synchronously here (the database is told to
  // stop at once; the mock login exits when our end of its stdin closes).
  const stop = async () => {
    releaseStack();
    await Promise.allSettled([database?.stop(), rack.close(), oauth.stop(), sinks.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  await runGateway({
    ADMIN_USERS: 'admin@example.com',
    DEPLOYER_USERS: 'deployer@example.com',
    OPS_USERS: 'ops@example.com',
    VIEWER_USERS: 'viewer@example.com',
    GOOGLE_ALLOWED_DOMAIN: 'example.com',
    ...sinks.settingsEnvironment,
    ...process.env,
    NODE_ENV: 'development',
    PUBLIC_URL: gatewayUrl,
    DATABASE_URL: base.database.url ?? database?.databaseUrl,
    RACK_URL: rack.url,
    RACK_TOKEN: rackPassword,
    GOOGLE_ISSUER: oauth.issuer,
    GOOGLE_CLIENT_ID: DEV_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: DEV_CLIENT_SECRET,
    ...devStackSecrets(dataDir, process.env),
  });

  console.log(
    stackBanner({
      gatewayUrl,
      rackUrl: rack.url,
      rackPassword,
      oauthIssuer: oauth.issuer,
      notificationsUrl: sinks.url,
      smtpPort: sinks.smtpPort,
      database: database ? `embedded, data in ${join(dataDir, 'postgres')}` : 'DATABASE_URL',
      users: DEV_USERS,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
