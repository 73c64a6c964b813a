import { Client } from 'pg';
import { ENV_MASK } from '../../src/proxy/env/env-mask';
import { adminSession } from '../settings/settings-fixture';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

interface Release {
  id: string;
  env: string;
}

const envOf = (text: string) =>
  Object.fromEntries(text.split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));

describe('rack proxy: env masking and env changes (release routes)', () => {
  let stack: ProxyStack;
  let db: Client;
  let settingsToken: string;

  beforeAll(async () => {
    stack = await startProxyStack({ CONVOX_PROTECTED_ENV_VARS: 'PORT' });
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
    // A person's session: settings changes are an `always` MFA action that no API token may perform.
    settingsToken = await adminSession(stack);
  });
  afterAll(async () => {
    await db.end();
    await stack.close();
  });

  /** The outcome details of a request's one event, once the response has closed and it was written. */
  const settledOutcomeOf = async (requestId: string): Promise<string> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await db.query<{ outcome_details: string | null; status: number | null }>(
        `SELECT outcome_details, status FROM audit_events WHERE request_id = $1`,
        [requestId],
      );
      if (rows.length === 1 && rows[0].status !== null) return rows[0].outcome_details ?? '{}';
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no settled audit event for ${requestId}`);
  };

  /** Per-app env key lists are runtime settings, changed through the admin API like an admin would. */
  const appSetting = async (method: 'PUT' | 'DELETE', key: string, value?: string[]) => {
    const res = await fetch(`${stack.gateway.url}/api/v1/apps/myapp/settings/${key}`, {
      method,
      headers: { authorization: `Bearer ${settingsToken}`, 'content-type': 'application/json' },
      body: value === undefined ? undefined : JSON.stringify({ value }),
    });
    expect(res.status).toBe(200);
  };

  const latest = async (token: string): Promise<Release> => {
    const list = await fetch(`${stack.proxyUrl}/apps/myapp/releases?limit=1`, {
      headers: { authorization: cliAuth(token) },
    });
    expect(list.status).toBe(200);
    const [first] = (await list.json()) as Release[];
    const detail = await fetch(`${stack.proxyUrl}/apps/myapp/releases/${first.id}?`, {
      headers: { authorization: cliAuth(token) },
    });
    expect(detail.status).toBe(200);
    return (await detail.json()) as Release;
  };

  const postEnv = (token: string, env: Record<string, string>) =>
    fetch(`${stack.proxyUrl}/apps/myapp/releases?`, {
      method: 'POST',
      headers: { authorization: cliAuth(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        env: Object.entries(env)
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      }).toString(),
    });

  it('masks secret values for a deployer and shows the rest', async () => {
    const env = envOf((await latest(stack.tokens.deployer)).env);
    expect(env.STRIPE_API_KEY).toBe(ENV_MASK);
    expect(env.SECRET_KEY_BASE).toBe(ENV_MASK);
    expect(env.DATABASE_URL).toBe(ENV_MASK);
    expect(env.NODE_ENV).toBe('production');
  });

  it('masks every value for a caller without convox:env:read, in lists too', async () => {
    const token = await stack.tokenWith('ops', ['convox:release:list']);
    const list = await fetch(`${stack.proxyUrl}/apps/myapp/releases?`, {
      headers: { authorization: cliAuth(token) },
    });
    const releases = (await list.json()) as Release[];
    expect(releases.length).toBeGreaterThan(0);
    for (const release of releases) {
      for (const value of Object.values(envOf(release.env))) expect(value).toBe(ENV_MASK);
    }
  });

  it('shows secrets to an admin (convox:secret:read)', async () => {
    const env = envOf((await latest(stack.tokens.admin)).env);
    expect(env.STRIPE_API_KEY).toBe('sk_test_mockrack_00000000000000000000');
  });

  it('keeps masked values on write: a masked read-modify-write changes only the edited key', async () => {
    const masked = envOf((await latest(stack.tokens.deployer)).env);
    const created = await postEnv(stack.tokens.deployer, { ...masked, NODE_ENV: 'staging', FEATURE_X: 'on' });
    expect(created.status).toBe(200);
    const release = (await created.json()) as Release;
    expect(envOf(release.env).STRIPE_API_KEY).toBe(ENV_MASK);
    const real = envOf((await latest(stack.tokens.admin)).env);
    expect(real).toMatchObject({
      NODE_ENV: 'staging',
      FEATURE_X: 'on',
      STRIPE_API_KEY: 'sk_test_mockrack_00000000000000000000',
    });
    expect(real.DATABASE_URL).toContain('postgres://');

    // The env-change step runs after the event is committed and annotates it: its outcome names the changed
    // keys and never the values.
    const outcome = await settledOutcomeOf(created.headers.get('x-request-id') ?? '');
    expect(JSON.parse(outcome)).toMatchObject({
      envAdded: ['FEATURE_X'],
      envChanged: ['NODE_ENV'],
      envRemoved: [],
    });
    expect(outcome).not.toContain('staging');
  });

  it('refuses a secret change without convox:secret:set and names the permission', async () => {
    const masked = envOf((await latest(stack.tokens.deployer)).env);
    const response = await postEnv(stack.tokens.deployer, { ...masked, STRIPE_API_KEY: 'sk_live_stolen' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'permission denied: convox:secret:set' });
  });

  it('refuses a change to a protected key, even for an admin (global and per-app lists)', async () => {
    const env = envOf((await latest(stack.tokens.admin)).env);
    const global = await postEnv(stack.tokens.admin, { ...env, PORT: '9999' });
    expect(global.status).toBe(403);
    expect(await global.json()).toEqual({ error: 'permission denied: env var PORT is protected' });

    await appSetting('PUT', 'env.app_protected_keys', ['redis_url']);
    const { REDIS_URL: _removed, ...withoutRedis } = env;
    const perApp = await postEnv(stack.tokens.admin, withoutRedis);
    expect(perApp.status).toBe(403);
    expect(await perApp.json()).toEqual({ error: 'permission denied: env var REDIS_URL is protected' });
    expect(envOf((await latest(stack.tokens.admin)).env).PORT).toBe('3000');
  });

  it('files a protected-key refusal as protected-key, not as a missing permission', async () => {
    const env = envOf((await latest(stack.tokens.admin)).env);
    const refused = await postEnv(stack.tokens.admin, { ...env, PORT: '8081' });
    expect(refused.status).toBe(403);
    const requestId = refused.headers.get('x-request-id') ?? '';
    const outcome = JSON.parse(await settledOutcomeOf(requestId)) as Record<string, unknown>;
    expect(outcome).toMatchObject({ refusal: 'protected-key' });
    const { rows } = await db.query<{ decision: string; result: string; status: number; action: string }>(
      `SELECT decision, result, status, action FROM audit_events WHERE request_id = $1`,
      [requestId],
    );
    // One event: opened before the rack was asked for the current env, completed as the refusal.
    expect(rows).toEqual([
      { decision: 'allow', result: 'denied', status: 403, action: 'convox:release:create' },
    ]);
    expect(JSON.stringify(rows)).not.toContain('missing-permission');
  });

  it('honours per-app secret keys on the proxy path', async () => {
    expect(envOf((await latest(stack.tokens.deployer)).env).NODE_ENV).not.toBe(ENV_MASK);
    await appSetting('PUT', 'env.app_secret_keys', ['NODE_ENV']);
    expect(envOf((await latest(stack.tokens.deployer)).env).NODE_ENV).toBe(ENV_MASK);
    await appSetting('DELETE', 'env.app_secret_keys');
    expect(envOf((await latest(stack.tokens.deployer)).env).NODE_ENV).not.toBe(ENV_MASK);
  });

  it('refuses env smuggled in the query string and a masked value with nothing behind it', async () => {
    const smuggled = await fetch(`${stack.proxyUrl}/apps/myapp/releases?env=A%3D1`, {
      method: 'POST',
      headers: { authorization: cliAuth(stack.tokens.deployer) },
    });
    expect(smuggled.status).toBe(400);
    const env = envOf((await latest(stack.tokens.deployer)).env);
    const ghost = await postEnv(stack.tokens.deployer, { ...env, NEW_SECRET_TOKEN: ENV_MASK });
    expect(ghost.status).toBe(400);
    expect(((await ghost.json()) as { error: string }).error).toContain('NEW_SECRET_TOKEN');
  });
});
