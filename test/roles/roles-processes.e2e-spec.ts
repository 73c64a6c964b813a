import { randomBytes } from 'node:crypto';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';
import { startChildGateway, type ChildGateway } from '../harness/child-gateway';
import { adminSession, call, tokenOf } from './roles-fixture';

const SECRETS = {
  SESSION_SECRET: randomBytes(32).toString('hex'),
  AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Role definitions are cached in every process; a change made through one gateway process must be in
 * force in another one on the same database without a restart (the notification bus invalidates).
 */
describe('role changes across two gateway processes', () => {
  let stack: ProxyStack;
  let second: ChildGateway;
  /** Roles and users change only through a session: they are `always` MFA actions, closed to tokens. */
  let session: string;
  let reader: string;

  const statusAt = async (base: string, path: string) =>
    (await fetch(`${base}/api/v1/rack-proxy${path}?`, { headers: { Authorization: cliAuth(reader) } }))
      .status;
  /** Milliseconds until `base` answers `path` with a status that satisfies `wanted` (fails after 2 s). */
  const within = async (base: string, path: string, wanted: (status: number) => boolean) => {
    const started = Date.now();
    while (Date.now() - started < 2000) {
      if (wanted(await statusAt(base, path))) return Date.now() - started;
      await pause(10);
    }
    throw new Error(`${base} did not change its answer for ${path} within 2 s`);
  };

  beforeAll(async () => {
    stack = await startProxyStack({ ...SECRETS, LOG_LEVEL: 'silent' });
    second = await startChildGateway(stack.gateway.databaseUrl, {
      ...SECRETS,
      RACK_URL: stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    session = await adminSession(stack.gateway);
    const role = await call(stack.gateway, session, 'POST', '/roles', {
      name: 'release-reader',
      permissions: ['convox:app:read', 'convox:release:list'],
    });
    expect(role.status).toBe(201);
    const user = await call(stack.gateway, session, 'POST', '/users', {
      email: 'reader@example.com',
      bindings: [{ role: 'release-reader', apps: ['web-*'] }],
    });
    expect(user.status).toBe(201);
    reader = await tokenOf(stack.gateway, 'reader@example.com', ['convox:app:read', 'convox:release:list']);
    // Both processes answer (and cache the role) before it changes.
    expect(await statusAt(second.url, '/apps/web-1/releases')).not.toBe(403);
    const narrowed = await call(stack.gateway, session, 'PATCH', '/roles/release-reader', {
      permissions: ['convox:app:read'],
    });
    expect(narrowed.status).toBe(200);
    expect(await within(second.url, '/apps/web-1/releases', (s) => s === 403)).toBeLessThan(1000);
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.close();
  });

  it('a role changed through one process is enforced by the other within a second, both ways', async () => {
    expect(await statusAt(second.url, '/apps/web-1/releases')).toBe(403);
    expect(await statusAt(stack.gateway.url, '/apps/web-1/releases')).toBe(403);

    const granted = await call(stack.gateway, session, 'PATCH', '/roles/release-reader', {
      permissions: ['convox:app:read', 'convox:release:list'],
    });
    expect(granted.status).toBe(200);
    // The writing process: the very next request.
    expect(await statusAt(stack.gateway.url, '/apps/web-1/releases')).not.toBe(403);
    expect(await within(second.url, '/apps/web-1/releases', (s) => s !== 403)).toBeLessThan(1000);
    // Still scoped in the other process too.
    expect(await statusAt(second.url, '/apps/api/releases')).toBe(403);

    const revoked = await fetch(`${second.url}/api/v1/roles/release-reader`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: ['convox:app:read'] }),
    });
    expect(revoked.status).toBe(200);
    expect(await statusAt(second.url, '/apps/web-1/releases')).toBe(403);
    expect(await within(stack.gateway.url, '/apps/web-1/releases', (s) => s === 403)).toBeLessThan(1000);
  });

  it('a binding changed through one process is enforced by the other on its next request', async () => {
    const widened = await call(stack.gateway, session, 'PATCH', '/users/reader@example.com', {
      bindings: [{ role: 'release-reader', apps: ['web-*', 'api'] }],
    });
    expect(widened.status).toBe(200);
    // User rows are read per request: no waiting at all.
    expect(await statusAt(second.url, '/apps/api')).not.toBe(403);
  });
});
