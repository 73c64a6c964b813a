import { plainToInstance } from 'class-transformer';
import { createHash } from 'node:crypto';
import { validateSync, ValidationError } from 'class-validator';
import { AppConfig, RuntimeMode } from './app-config';
import { EnvironmentVariables } from './environment-variables';
import { registeredSettings } from './setting.decorator';

/** Thrown when the environment cannot produce a valid configuration; its message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const PLACEHOLDER_SECRET = /^(change-?me|changeme|secret|password|dev[-_]|test[-_]|example|placeholder|x+$)/i;

const list = (value?: string): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const emails = (value?: string): string[] => list(value).map((email) => email.toLowerCase());

function describe(error: ValidationError, input: Record<string, unknown>): string {
  const messages = Object.values(error.constraints ?? {}).map((m) => m.replace(`${error.property} `, ''));
  const shown = input[error.property];
  const sensitive = /SECRET|TOKEN|PASSWORD|DATABASE_URL/.test(error.property);
  const got = shown === undefined || sensitive ? '' : ` (got ${JSON.stringify(shown)})`;
  return `${error.property}: ${messages.join('; ')}${got}`;
}

/**
 * Reads and validates the environment once. Empty strings count as unset, so `FOO=` in a .env file
 * behaves like a missing variable rather than an invalid one.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') input[key] = value;
  const vars = plainToInstance(EnvironmentVariables, input);
  const problems = validateSync(vars, { whitelist: false }).map((e) => describe(e, input));
  const mode = (vars.NODE_ENV ?? 'production') as RuntimeMode;
  const port = vars.PORT ?? 8447;

  if (mode === 'production') problems.push(...productionProblems(vars));
  if (problems.length > 0) throw new ConfigError(problems);

  const development = mode !== 'production';
  return {
    mode,
    http: {
      port,
      host: vars.HOST ?? (development ? '127.0.0.1' : '0.0.0.0'),
      publicUrl: (vars.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
      trustProxyHops: vars.TRUST_PROXY_HOPS ?? 0,
      bodyLimit: vars.API_BODY_LIMIT ?? '1mb',
      shutdownGraceMs: (vars.SHUTDOWN_GRACE_SECONDS ?? 10) * 1000,
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    database: {
      url: vars.DATABASE_URL,
      dataDir: vars.DATA_DIR ?? '.data',
      embeddedPort: vars.EMBEDDED_POSTGRES_PORT ?? 5433,
    },
    rack: {
      url: vars.RACK_URL?.replace(/\/+$/, ''),
      token: vars.RACK_TOKEN,
      username: vars.RACK_USERNAME ?? 'convox',
      name: vars.RACK_NAME ?? 'default',
      caFile: vars.RACK_CA_FILE,
      pinSha256: vars.RACK_TLS_PIN_SHA256?.replace(/:/g, '').toLowerCase(),
      timeoutMs: vars.RACK_TIMEOUT_MS ?? 30000,
    },
    google: {
      clientId: vars.GOOGLE_CLIENT_ID,
      clientSecret: vars.GOOGLE_CLIENT_SECRET,
      issuer: (vars.GOOGLE_ISSUER ?? 'https://accounts.google.com').replace(/\/+$/, ''),
      allowedDomain: vars.GOOGLE_ALLOWED_DOMAIN?.toLowerCase(),
    },
    session: {
      secret: vars.SESSION_SECRET,
    },
    authRateLimit: { perMinute: vars.AUTH_RATE_LIMIT_PER_MINUTE ?? 30 },
    bootstrapUsers: {
      admin: emails(vars.ADMIN_USERS),
      deployer: emails(vars.DEPLOYER_USERS),
      ops: emails(vars.OPS_USERS),
      viewer: emails(vars.VIEWER_USERS),
    },
    audit: {
      hmacSecret: vars.AUDIT_HMAC_SECRET,
      redactExtraKeys: list(vars.AUDIT_REDACT_EXTRA_KEYS),
      anchorFile: vars.AUDIT_ANCHOR_FILE,
      stdout: vars.AUDIT_STDOUT ?? true,
    },
    settingsEnvironment: settingsEnvironmentOf(input),
    mfa: {
      encryptionKey: mfaKey(vars.MFA_ENCRYPTION_KEY, development ? vars.SESSION_SECRET : undefined),
      previousEncryptionKey: mfaKey(vars.MFA_ENCRYPTION_KEY_PREVIOUS, undefined),
    },
    devStack: {
      mockRackPort: vars.MOCK_RACK_PORT ?? 5443,
      mockOAuthPort: vars.MOCK_OAUTH_PORT ?? 3345,
      mockSmtpPort: vars.MOCK_SMTP_PORT ?? 2525,
      mockWebhookPort: vars.MOCK_WEBHOOK_PORT ?? 5444,
    },
  };
}

const RUNTIME_SETTING_VARIABLE = /^RGW_(SETTING|APP)_/;

/** The variables the settings module reads as its environment layer (validated there, at boot). */
function settingsEnvironmentOf(input: Record<string, unknown>): Record<string, string> {
  const fed = new Set(
    registeredSettings()
      .filter((s) => s.runtimeSetting)
      .map((s) => s.name),
  );
  const layer: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (RUNTIME_SETTING_VARIABLE.test(name) || fed.has(name)) layer[name] = String(value);
  }
  return layer;
}

/**
 * The MFA key: the configured one, or outside production one derived from the session secret so a dev
 * stack or a test gateway can enrol factors without one more variable. Production requires the variable.
 */
function mfaKey(hex: string | undefined, derivedFrom: string | undefined): Buffer | undefined {
  if (hex) return Buffer.from(hex, 'hex');
  if (derivedFrom) return createHash('sha256').update(`mfa-encryption-key:${derivedFrom}`).digest();
  return undefined;
}

/** Production runs only with real settings: no embedded database, no dev secrets, no missing credentials. */
function productionProblems(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const required: (keyof EnvironmentVariables)[] = [
    'PUBLIC_URL',
    'DATABASE_URL',
    'RACK_URL',
    'RACK_TOKEN',
    'GOOGLE_CLIENT_ID',
    'GOOGLE_CLIENT_SECRET',
    'SESSION_SECRET',
    'AUDIT_HMAC_SECRET',
    'MFA_ENCRYPTION_KEY',
  ];
  for (const name of required) {
    if (vars[name] === undefined) problems.push(`${name}: is required in production (NODE_ENV=production)`);
  }
  // The session cookie is Secure in production, so a browser on plain http would never send it back: the
  // login would loop. Behind a TLS-terminating router PUBLIC_URL is the https address users type.
  if (vars.PUBLIC_URL !== undefined && !vars.PUBLIC_URL.toLowerCase().startsWith('https://')) {
    problems.push(
      'PUBLIC_URL: must be an https:// URL in production (terminate TLS in front of the gateway)',
    );
  }
  for (const name of ['SESSION_SECRET', 'AUDIT_HMAC_SECRET'] as const) {
    const value = vars[name];
    if (value !== undefined && PLACEHOLDER_SECRET.test(value)) {
      problems.push(`${name}: looks like a placeholder; generate one with: openssl rand -hex 32`);
    }
  }
  return problems;
}
