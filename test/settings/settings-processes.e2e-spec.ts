import { adminSession } from './settings-fixture';
import { Client } from 'pg';
import { LISTENER_APPLICATION_NAME } from '../../src/database/pg-notification-bus';
import { DESTRUCTIVE_ACTIONS_DISABLED } from '../../src/proxy/destructive-routes';
import { type ChildGateway, sharedGatewaySecrets, startChildGateway } from '../harness/child-gateway';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

const SECRETS = sharedGatewaySecrets();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settings across two gateway processes on one database', () => {
  let stack: ProxyStack;
  let second: ChildGateway;
  let db: Client;
  let adminToken: string;

  const settingAt = async (base: string, key: string) => {
    const res = await fetch(`${base}/api/v1/settings/${key}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: unknown }).value;
  };
  const put = async (base: string, key: string, value: unknown) => {
    const res = await fetch(`${base}/api/v1/settings/${key}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    expect(res.status).toBe(200);
  };
  /** Milliseconds until `base` answers `expected` for `key` (fails after a second). */
  const seenWithin = async (base: string, key: string, expected: unknown): Promise<number> => {
    const started = Date.now();
    while (Date.now() - started < 1000) {
      if (JSON.stringify(await settingAt(base, key)) === JSON.stringify(expected))
        return Date.now() - started;
      await pause(10);
    }
    throw new Error(`${base} did not see ${key} = ${JSON.stringify(expected)} within a second`);
  };

  beforeAll(async () => {
    stack = await startProxyStack({ ...SECRETS, LOG_LEVEL: 'silent' });
    second = await startChildGateway(stack.gateway.databaseUrl, {
      ...SECRETS,
      RACK_URL: stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
    adminToken = await adminSession(stack);
  });
  afterAll(async () => {
    await second?.stop();
    await db?.end();
    await stack?.close();
  });

  it('a change through one process is seen by the other within a second, both ways', async () => {
    // Both processes have read (and cached) the value before it changes.
    expect(await settingAt(second.url, 'audit.retention_days')).toBe(400);
    expect(await settingAt(stack.gateway.url, 'audit.retention_days')).toBe(400);
    await put(stack.gateway.url, 'audit.retention_days', 120);
    expect(await seenWithin(second.url, 'audit.retention_days', 120)).toBeLessThan(1000);
    await put(second.url, 'audit.retention_days', 180);
    expect(await seenWithin(stack.gateway.url, 'audit.retention_days', 180)).toBeLessThan(1000);
  });

  it('the other process enforces a changed policy on its very next proxied request', async () => {
    const deleteApp = (base: string) =>
      fetch(`${base}/api/v1/rack-proxy/apps/myapp`, {
        method: 'DELETE',
        // A person's session: deleting an app is an `always` MFA action that no API token may perform.
        headers: { authorization: cliAuth(adminToken) },
      });
    const refused = await deleteApp(second.url);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: DESTRUCTIVE_ACTIONS_DISABLED });
    await put(stack.gateway.url, 'proxy.allow_destructive_actions', true);
    await seenWithin(second.url, 'proxy.allow_destructive_actions', true);
    stack.rack.clearRequests();
    expect((await deleteApp(second.url)).status).toBe(200);
    expect(stack.rack.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /apps/myapp']);
  });

  it('serves reads from its cache, and drops the cache when its listening connection is lost', async () => {
    expect(await settingAt(stack.gateway.url, 'audit.retention_days')).toBe(180);
    // A write behind the gateways' backs announces nothing: the cached value stays…
    await db.query(
      `UPDATE gateway_settings SET value = '500' WHERE scope = 'global' AND key = 'audit.retention_days'`,
    );
    await pause(200);
    expect(await settingAt(stack.gateway.url, 'audit.retention_days')).toBe(180);
    // …until the listeners lose their connections: both processes reset and read the database again.
    await db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    await seenWithin(stack.gateway.url, 'audit.retention_days', 500);
    await seenWithin(second.url, 'audit.retention_days', 500);
    // And once reconnected, notifications flow again.
    await pause(500);
    await put(second.url, 'audit.retention_days', 60);
    await seenWithin(stack.gateway.url, 'audit.retention_days', 60);
  });
});
