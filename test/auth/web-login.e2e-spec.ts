import { CookieJarClient } from '../harness/cookie-jar-client';
import {
  auditEvents,
  AuthStack,
  browserLogin,
  csrfHeaders,
  gatewayHost,
  pickAccount,
  startAuthStack,
} from './auth-fixture';

describe('browser login through Google (mock)', () => {
  let stack: AuthStack;

  beforeAll(async () => {
    stack = await startAuthStack({ LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['admin@example.com', ['admin']],
    ['deployer@example.com', ['deployer']],
    ['ops@example.com', ['ops']],
    ['viewer@example.com', ['viewer']],
  ])('logs %s in and lands on returnTo with a session', async (email, roles) => {
    const { browser, page } = await browserLogin(stack, email, '/api/v1/me');
    expect(page.status).toBe(200);
    expect(page.url.pathname).toBe('/api/v1/me');
    const me = JSON.parse(page.body);
    expect(me).toMatchObject({ email, roles, kind: 'user', channel: 'web' });
    expect(me.sessionExpiresAt).toEqual(expect.any(String));
    expect(browser.cookie(gatewayHost(stack), 'rgw_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await auditEvents(stack, 'auth:login')).toContainEqual(
      expect.objectContaining({ decision: 'allow', actor_email: email }),
    );
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, host-only on Path=/, and the CSRF cookie readable', async () => {
    const browser = new CookieJarClient();
    const picker = await browser.get(`${stack.gateway.url}/api/v1/auth/web/login`);
    const action = /action="([^"]+\/login)"/.exec(picker.body)![1];
    const resumed = await browser.request(new URL(action, picker.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=viewer%40example.com',
    });
    // Walk to the gateway callback by hand to see its Set-Cookie headers.
    let page = resumed;
    while (!page.url.pathname.endsWith('/api/v1/auth/web/callback')) {
      page = await browser.request(new URL(page.headers.get('location')!, page.url));
    }
    expect(page.status).toBe(302);
    const cookies = page.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('rgw_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Domain=/i);
    const csrf = cookies.find((c) => c.startsWith('rgw_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/i);
  });

  it.each([
    ['newcomer@example.com', 403, /no access to this gateway/, 'unknown_user'],
    ['outsider@other.test', 403, /not part of the organisation/, 'wrong_domain'],
    ['personal@gmail.test', 403, /not part of the organisation/, 'wrong_domain'],
    ['unverified@example.com', 403, /has not verified/, 'email_unverified'],
  ])('refuses %s with a clear page and records why', async (email, status, text, reason) => {
    const { browser, page } = await browserLogin(stack, email);
    expect(page.status).toBe(status);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toMatch(text);
    expect(browser.cookie(gatewayHost(stack), 'rgw_session')).toBeUndefined();
    expect(await auditEvents(stack, 'auth:login_failed')).toContainEqual(
      expect.objectContaining({ decision: 'deny', rule: reason, actor_email: email }),
    );
  });

  it('refuses a replayed state: the callback URL works exactly once', async () => {
    const browser = new CookieJarClient();
    const picker = await browser.get(`${stack.gateway.url}/api/v1/auth/web/login`);
    let page = await browser.request(new URL(/action="([^"]+\/login)"/.exec(picker.body)![1], picker.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=ops%40example.com',
    });
    while (!page.url.pathname.endsWith('/api/v1/auth/web/callback')) {
      page = await browser.request(new URL(page.headers.get('location')!, page.url));
    }
    expect(page.status).toBe(302);
    const replay = await new CookieJarClient().request(page.url);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/expired, was already used, or did not start here/);
  });

  it('refuses a forged state', async () => {
    const forged = await fetch(`${stack.gateway.url}/api/v1/auth/web/callback?code=abc&state=forged-state`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/did not start here/);
    expect(await auditEvents(stack, 'auth:login_failed')).toContainEqual(
      expect.objectContaining({ decision: 'deny', rule: 'invalid_state' }),
    );
  });

  it.each(['//evil.test/x', '/\\evil.test', 'https://evil.test/', 'javascript:alert(1)'])(
    'ignores an unsafe returnTo %s and lands on the default',
    async (returnTo) => {
      const { page } = await browserLogin(stack, 'viewer@example.com', returnTo);
      expect(page.url.origin).toBe(stack.gateway.url);
      expect(page.url.pathname).toBe('/api/v1/me');
    },
  );

  it('logs out with a CSRF-protected POST that revokes the session server-side', async () => {
    const { browser } = await browserLogin(stack, 'ops@example.com');
    const token = browser.cookie(gatewayHost(stack), 'rgw_session')!;
    const withoutCsrf = await browser.request(`${stack.gateway.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { origin: stack.gateway.url },
    });
    expect(withoutCsrf.status).toBe(403);
    expect(JSON.parse(withoutCsrf.body).error).toBe('csrf_failed');
    const out = await browser.request(`${stack.gateway.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: csrfHeaders(stack, browser),
    });
    expect(out.status).toBe(200);
    const after = await fetch(`${stack.gateway.url}/api/v1/me`, {
      headers: { cookie: `rgw_session=${token}` },
    });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: string }).error).toBe('session_revoked');
    expect(await auditEvents(stack, 'auth:logout')).toContainEqual(
      expect.objectContaining({ actor_email: 'ops@example.com' }),
    );
  });

  it('picks the account on the real picker page, not only through a hint', async () => {
    const browser = new CookieJarClient();
    const picker = await browser.get(`${stack.gateway.url}/api/v1/auth/web/login`);
    expect(picker.body).toContain('admin@example.com');
    const landed = await pickAccount(browser, picker, 'admin@example.com');
    expect(landed.status).toBe(200);
  });
});
