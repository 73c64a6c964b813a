import { DataSource } from 'typeorm';
import { LISTENER_APPLICATION_NAME } from '../../src/database/pg-notification-bus';
import { type ChildGateway, sharedGatewaySecrets, startChildGateway } from '../harness/child-gateway';
import { adminSession } from '../settings/settings-fixture';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from './proxy-stack';
import { createTokenSubject } from './token-subject';

const SECRETS = sharedGatewaySecrets();
// Longer than a change takes to be heard, shorter than the cache's own time limit (5 s): a refusal that
// only comes once the cached row ages out fails the test.
const HONOURED_WITHIN_MS = 1000;
const GIVE_UP_MS = 4000;

/**
 * Two gateway processes on one database. The second answers from its credential cache once a token has
 * been used there; a change made through the first process must still be honoured by the second within a
 * second (the access-change relay on the notification bus drops the cached rows), and a cache that may
 * have missed a change (its listening connection dropped) must not be trusted.
 */
describe('credential cache across gateway processes', () => {
  let stack: ProxyStack;
  let second: ChildGateway;
  let adminAuth: string;
  let subjects = 0;

  beforeAll(async () => {
    stack = await startProxyStack({ ...SECRETS, LOG_LEVEL: 'silent' });
    second = await startChildGateway(stack.gateway.databaseUrl, {
      ...SECRETS,
      RACK_URL: stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    // Locking and role changes are `always` MFA actions, closed to API tokens: act as an admin session.
    adminAuth = `Bearer ${await adminSession(stack)}`;
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.close();
  });

  function subject(roles: string[]) {
    subjects += 1;
    return createTokenSubject(stack, `cached-${subjects}@example.com`, roles);
  }

  const onSecond = (token: string, path = '/apps') =>
    fetch(`${second.url}/api/v1/rack-proxy${path}`, { headers: { authorization: cliAuth(token) } });

  /** Uses the token on the second process until it is surely cached there. */
  async function warm(token: string, path?: string): Promise<void> {
    for (let i = 0; i < 3; i++) expect((await onSecond(token, path)).status).toBe(200);
  }

  async function adminOnFirst(method: string, path: string, body?: unknown): Promise<number> {
    const response = await fetch(`${stack.gateway.url}/api/v1${path}`, {
      method,
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return Date.now();
  }

  /** Milliseconds from `since` until the second process answers `status` (polled), or a failure. */
  async function answeredWith(status: number, since: number, request: () => Promise<Response>) {
    for (;;) {
      const response = await request();
      if (response.status === status) return { after: Date.now() - since, body: await response.json() };
      await response.arrayBuffer();
      if (Date.now() - since > GIVE_UP_MS) throw new Error(`still ${response.status} after ${GIVE_UP_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('refuses a token on the other process within a second of its revocation', async () => {
    const { token, tokenId } = await subject(['viewer']);
    await warm(token);
    const since = await adminOnFirst('DELETE', `/api-tokens/${tokenId}`);
    const refused = await answeredWith(401, since, () => onSecond(token));
    expect(refused.after).toBeLessThan(HONOURED_WITHIN_MS);
    expect(refused.body).toEqual({ error: 'the API token was revoked' });
  });

  it('refuses every token of a user locked through the other process within a second', async () => {
    const { token, user } = await subject(['viewer']);
    await warm(token);
    const since = await adminOnFirst('POST', `/users/${user.email}/lock`, { reason: 'left the team' });
    const refused = await answeredWith(401, since, () => onSecond(token));
    expect(refused.after).toBeLessThan(HONOURED_WITHIN_MS);
    expect(refused.body).toEqual({ error: 'this account is locked; ask an administrator' });
  });

  it('refuses the tokens of a deleted user on the other process within a second', async () => {
    const { token, user } = await subject(['viewer']);
    await warm(token);
    const since = await adminOnFirst('DELETE', `/users/${user.email}`);
    const refused = await answeredWith(401, since, () => onSecond(token));
    expect(refused.after).toBeLessThan(HONOURED_WITHIN_MS);
  });

  it('applies a role taken away through the other process within a second', async () => {
    // An ops token may list app configs only while its owner holds ops.
    const { token, user } = await subject(['ops']);
    await warm(token, '/apps/myapp/configs');
    const since = await adminOnFirst('PATCH', `/users/${user.email}`, { roles: ['viewer'] });
    const refused = await answeredWith(403, since, () => onSecond(token, '/apps/myapp/configs'));
    expect(refused.after).toBeLessThan(HONOURED_WITHIN_MS);
    expect(refused.body).toEqual({ error: 'permission denied: convox:config:list' });
  });

  it('stops trusting the cache when the listening connection drops, so a change it missed still counts', async () => {
    const { token, tokenId } = await subject(['viewer']);
    await warm(token);
    // Revoked behind the gateways' backs: nobody is told, as when the notification is lost with the connection.
    const dataSource = stack.gateway.app.get(DataSource);
    await dataSource.query('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1', [
      tokenId,
      'test',
    ]);
    expect((await onSecond(token)).status).toBe(200);
    const since = Date.now();
    await dataSource.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    const refused = await answeredWith(401, since, () => onSecond(token));
    expect(refused.after).toBeLessThan(HONOURED_WITHIN_MS);
    expect(refused.body).toEqual({ error: 'the API token was revoked' });
    // And once the connection is back (it reconnects within a few hundred ms), the old entry is gone too.
    const statuses = new Set<number>();
    for (const until = Date.now() + 1500; Date.now() < until;) {
      const response = await onSecond(token);
      statuses.add(response.status);
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Never served again: refused each time (401, or 429 once this address has been refused too often).
    expect([...statuses].filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(statuses.has(401)).toBe(true);
  });
});
