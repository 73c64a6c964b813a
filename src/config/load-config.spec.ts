import { ConfigError, loadConfig } from './load-config';

const productionEnv = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://gateway.example.com',
  DATABASE_URL: 'postgres://gw:pw@db.internal/gw',
  RACK_URL: 'https://api.rack.example.com',
  RACK_TOKEN: 'rack-password',
  GOOGLE_CLIENT_ID: 'client-id',
  GOOGLE_CLIENT_SECRET: 'client-secret',
  SESSION_SECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6',
  AUDIT_HMAC_SECRET: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5',
  MFA_ENCRYPTION_KEY: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('refuses to start production without an MFA key and derives one only outside production', () => {
    const { MFA_ENCRYPTION_KEY: _key, ...withoutKey } = productionEnv;
    expect(problemsOf(withoutKey)).toEqual([
      'MFA_ENCRYPTION_KEY: is required in production (NODE_ENV=production)',
    ]);
    expect(problemsOf({ ...productionEnv, MFA_ENCRYPTION_KEY: 'abc' })[0]).toMatch(
      /^MFA_ENCRYPTION_KEY: must be 64 hex/,
    );
    const dev = loadConfig({ ...withoutKey, NODE_ENV: 'development' });
    expect(dev.mfa.encryptionKey).toHaveLength(32);
    expect(loadConfig(productionEnv).mfa.encryptionKey?.toString('hex')).toBe(
      productionEnv.MFA_ENCRYPTION_KEY,
    );
  });

  it('accepts a complete production configuration and shapes it', () => {
    const config = loadConfig(productionEnv);
    expect(config.mode).toBe('production');
    expect(config.http).toMatchObject({
      port: 8447,
      host: '0.0.0.0',
      publicUrl: 'https://gateway.example.com',
    });
    expect(config.settingsEnvironment).toEqual({});
  });

  it('passes the environment layer of runtime settings on, raw, for the settings module to validate', () => {
    const config = loadConfig({
      ...productionEnv,
      SESSION_WEB_IDLE_MINUTES: '15',
      RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true',
      RGW_APP_WEB_SETTING_ENV_APP_SECRET_KEYS: 'STRIPE_*',
      RGW_TEST_SOMETHING_ELSE: 'x',
    });
    expect(config.settingsEnvironment).toEqual({
      SESSION_WEB_IDLE_MINUTES: '15',
      RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true',
      RGW_APP_WEB_SETTING_ENV_APP_SECRET_KEYS: 'STRIPE_*',
    });
  });

  it('names the variable and the problem for an invalid value', () => {
    expect(problemsOf({ NODE_ENV: 'development', PORT: 'eighty' })).toEqual([
      expect.stringMatching(/^PORT: .*integer.*\(got "eighty"\)$/),
    ]);
    expect(problemsOf({ NODE_ENV: 'development', RACK_URL: 'ftp://rack' })[0]).toMatch(
      /^RACK_URL: must be an http\(s\) URL/,
    );
  });

  it('lists every missing production setting in one message', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'PUBLIC_URL',
      'DATABASE_URL',
      'RACK_URL',
      'RACK_TOKEN',
      'GOOGLE_CLIENT_ID',
      'SESSION_SECRET',
      'AUDIT_HMAC_SECRET',
    ]) {
      expect(problems).toContain(`${name}: is required in production (NODE_ENV=production)`);
    }
  });

  it('refuses a plain-http PUBLIC_URL in production, where the session cookie is Secure', () => {
    expect(problemsOf({ ...productionEnv, PUBLIC_URL: 'http://gateway.example.com' })).toEqual([
      'PUBLIC_URL: must be an https:// URL in production (terminate TLS in front of the gateway)',
    ]);
    expect(
      problemsOf({ ...productionEnv, NODE_ENV: 'development', PUBLIC_URL: 'http://127.0.0.1:8447' }),
    ).toEqual([]);
  });

  it('treats an unset NODE_ENV as production, so a bare start never runs with dev defaults', () => {
    expect(problemsOf({})).toContain('SESSION_SECRET: is required in production (NODE_ENV=production)');
  });

  it('refuses short and placeholder secrets in production without echoing them', () => {
    const short = problemsOf({ ...productionEnv, SESSION_SECRET: 'short' });
    expect(short).toEqual(['SESSION_SECRET: must be at least 32 characters']);
    const placeholder = problemsOf({
      ...productionEnv,
      AUDIT_HMAC_SECRET: 'changeme-changeme-changeme-changeme-1234',
    });
    expect(placeholder).toEqual([expect.stringMatching(/^AUDIT_HMAC_SECRET: looks like a placeholder/)]);
    expect(placeholder.join()).not.toContain('changeme-changeme');
  });

  it('binds loopback only in development', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).http.host).toBe('127.0.0.1');
  });

  it('lower-cases bootstrap emails and ignores blanks', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      ADMIN_USERS: ' Admin@Example.com , ,ops@example.com',
    });
    expect(config.bootstrapUsers.admin).toEqual(['admin@example.com', 'ops@example.com']);
  });
});
