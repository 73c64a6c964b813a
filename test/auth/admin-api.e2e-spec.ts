import { CredentialCaches } from '../../src/access-events/credential-caches';
import { CookieJarClient } from '../harness/cookie-jar-client';
import {
  AuthStack,
  bearer,
  browserLogin,
  csrfHeaders,
  databaseTextDump,
  gatewayHost,
  startAuthStack,
} from './auth-fixture';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  body: any;
}

async function call(
  stack: AuthStack,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Every admin-only endpoint with a body that would pass validation. */
const ADMIN_ENDPOINTS: [string, string, unknown][] = [
  ['GET', '/api/v1/users', undefined],
  ['POST', '/api/v1/users', { email: 'x@example.com', roles: ['viewer'] }],
  ['GET', '/api/v1/users/ops@example.com', undefined],
  ['PATCH', '/api/v1/users/ops@example.com', { roles: ['admin'] }],
  ['DELETE', '/api/v1/users/ops@example.com', undefined],
  ['POST', '/api/v1/users/ops@example.com/lock', { reason: 'x' }],
  ['POST', '/api/v1/users/ops@example.com/unlock', undefined],
  ['POST', '/api/v1/users/ops@example.com/sessions/revoke', undefined],
  ['GET', '/api/v1/sessions?email=ops@example.com', undefined],
  ['GET', '/api/v1/api-tokens?all=true', undefined],
  ['POST', '/api/v1/api-tokens', { name: 'for-ops', email: 'ops@example.com', role: 'viewer' }],
];

describe('admin API, tokens and sessions', () => {
  let stack: AuthStack;
  let admin: CookieJarClient;
  let viewer: CookieJarClient;

  beforeAll(async () => {
    stack = await startAuthStack({ LOG_LEVEL: 'error' });
    admin = (await browserLogin(stack, 'admin@example.com')).browser;
    viewer = (await browserLogin(stack, 'viewer@example.com')).browser;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(ADMIN_ENDPOINTS)(
    'gives a viewer 403 on %s %s and names the permission',
    async (method, path, body) => {
      const res = await call(
        stack,
        method,
        path,
        csrfHeaders(stack, viewer) && {
          ...csrfHeaders(stack, viewer),
          cookie: `rgw_session=${viewer.cookie(gatewayHost(stack), 'rgw_session')}`,
        },
        body,
      );
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/permission denied: gateway:/);
    },
  );

  it('refuses a cookie POST without the CSRF header or from another origin', async () => {
    const cookie = `rgw_session=${admin.cookie(gatewayHost(stack), 'rgw_session')}`;
    const noToken = await call(
      stack,
      'POST',
      '/api/v1/users',
      { cookie, origin: stack.gateway.url },
      { email: 'a@example.com', roles: ['viewer'] },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toBe('csrf_failed');
    const foreign = await call(
      stack,
      'POST',
      '/api/v1/users',
      { ...csrfHeaders(stack, admin), cookie, origin: 'http://evil.test' },
      { email: 'a@example.com', roles: ['viewer'] },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('origin_mismatch');
  });

  it('lets an admin create a user and rejects the cicd role for humans', async () => {
    const headers = {
      ...csrfHeaders(stack, admin),
      cookie: `rgw_session=${admin.cookie(gatewayHost(stack), 'rgw_session')}`,
    };
    const created = await call(stack, 'POST', '/api/v1/users', headers, {
      email: 'New.Person@Example.com',
      roles: ['ops'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.person@example.com', roles: ['ops'], locked: false });
    const cicd = await call(stack, 'POST', '/api/v1/users', headers, {
      email: 'bot@example.com',
      roles: ['cicd'],
    });
    expect(cicd.status).toBe(400);
    expect(cicd.body.error).toBe('invalid_role');
  });

  it('creates a token shown once, stored only as a hash, bounded by its owner, and disabled by a lock', async () => {
    const { browser: deployer } = await browserLogin(stack, 'deployer@example.com');
    const headers = {
      ...csrfHeaders(stack, deployer),
      cookie: `rgw_session=${deployer.cookie(gatewayHost(stack), 'rgw_session')}`,
    };
    const tooMuch = await call(stack, 'POST', '/api/v1/api-tokens', headers, {
      name: 'ci',
      permissions: ['convox:app:delete'],
    });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.message).toContain('convox:app:delete');
    const created = await call(stack, 'POST', '/api/v1/api-tokens', headers, {
      name: 'ci',
      role: 'cicd',
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^rgw_[A-Za-z0-9_-]{43}$/);

    const me = await call(stack, 'GET', '/api/v1/me', bearer(token));
    expect(me.body).toMatchObject({ kind: 'token', channel: 'api-token', email: 'deployer@example.com' });
    expect(me.body.permissions).toContain('convox:instance:list');
    const basic = `Basic ${Buffer.from(`convox:${encodeURIComponent(token)}`).toString('base64')}`;
    expect((await call(stack, 'GET', '/api/v1/me', { authorization: basic })).status).toBe(200);

    // Never stored in clear: search a text dump of every table.
    for (const row of await databaseTextDump(stack)) {
      expect(row).not.toContain(token);
      expect(row).not.toContain(token.slice(4));
    }

    const adminHeaders = {
      ...csrfHeaders(stack, admin),
      cookie: `rgw_session=${admin.cookie(gatewayHost(stack), 'rgw_session')}`,
    };
    const lock = await call(stack, 'POST', '/api/v1/users/deployer@example.com/lock', adminHeaders, {
      reason: 'laptop stolen',
    });
    expect(lock.status).toBe(200);
    const refused = await call(stack, 'GET', '/api/v1/me', bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('user_locked');
    const session = await call(stack, 'GET', '/api/v1/me', { cookie: headers.cookie });
    expect(session.status).toBe(401);
    await call(stack, 'POST', '/api/v1/users/deployer@example.com/unlock', adminHeaders);
    expect((await call(stack, 'GET', '/api/v1/me', bearer(token))).status).toBe(200);
  });

  it('applies a role change on the next request', async () => {
    const { browser: ops } = await browserLogin(stack, 'ops@example.com');
    const opsCookie = { cookie: `rgw_session=${ops.cookie(gatewayHost(stack), 'rgw_session')}` };
    expect((await call(stack, 'GET', '/api/v1/users', opsCookie)).status).toBe(403);
    const adminHeaders = {
      ...csrfHeaders(stack, admin),
      cookie: `rgw_session=${admin.cookie(gatewayHost(stack), 'rgw_session')}`,
    };
    expect(
      (await call(stack, 'PATCH', '/api/v1/users/ops@example.com', adminHeaders, { roles: ['admin'] }))
        .status,
    ).toBe(200);
    expect((await call(stack, 'GET', '/api/v1/users', opsCookie)).status).toBe(200);
    await call(stack, 'PATCH', '/api/v1/users/ops@example.com', adminHeaders, { roles: ['ops'] });
    expect((await call(stack, 'GET', '/api/v1/users', opsCookie)).status).toBe(403);
  });

  it.each([
    ['idle', `last_used_at = now() - interval '31 minutes'`, 'session_expired'],
    ['past its absolute expiry', `absolute_expires_at = now() - interval '1 second'`, 'session_expired'],
    ['revoked', `revoked_at = now(), revoked_reason = 'revoked'`, 'session_revoked'],
  ])('refuses a session that is %s', async (_what, change, reason) => {
    const { browser } = await browserLogin(stack, 'viewer@example.com');
    const cookie = `rgw_session=${browser.cookie(gatewayHost(stack), 'rgw_session')}`;
    const me = await call(stack, 'GET', '/api/v1/me', { cookie });
    await stack.db.query(`UPDATE user_sessions SET ${change} WHERE id = $1`, [me.body.sessionId]);
    // Changed behind the gateway's back (standing in for time passing): drop the row it keeps in memory, as
    // it does whenever it may have missed a change.
    stack.gateway.app.get(CredentialCaches).clear();
    const res = await call(stack, 'GET', '/api/v1/me', { cookie });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe(reason);
  });

  it('refuses cookies on the rack proxy and unknown credentials with a reason', async () => {
    const cookie = `rgw_session=${viewer.cookie(gatewayHost(stack), 'rgw_session')}`;
    const proxy = await call(stack, 'GET', '/api/v1/rack-proxy/apps', { cookie });
    expect(proxy.status).toBe(401);
    expect(proxy.body.error).toMatch(/Authorization header/);
    const bogus = await call(stack, 'GET', '/api/v1/me', bearer('rgw_notarealtoken'));
    expect(bogus.status).toBe(401);
    expect(bogus.body.error).toBe('invalid_credentials');
    expect((await call(stack, 'GET', '/api/v1/info', {})).body).toMatchObject({ name: 'rack-gateway' });
  });
});
