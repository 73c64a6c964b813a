import { createHash, randomBytes } from 'node:crypto';
import { CookieJarClient } from '../harness/cookie-jar-client';
import { auditEvents, AuthStack, bearer, browserLogin, startAuthStack } from './auth-fixture';

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function post(stack: AuthStack, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  return { status: res.status, body: (await res.json()) as any };
}

/** The browser leg: follow the CLI's URL through Google login to the approval page and press a button. */
async function approveInBrowser(stack: AuthStack, browserUrl: string, email: string, decision = 'approve') {
  const browser = new CookieJarClient();
  const { page } = await browserLogin(
    stack,
    email,
    new URL(browserUrl).pathname + new URL(browserUrl).search,
    browser,
  );
  expect(page.status).toBe(200);
  expect(page.body).toContain('Approve CLI login?');
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)![1];
  const approved = await browser.submitForm(`${stack.gateway.url}/api/v1/auth/cli/approve`, {
    loginId: field('loginId'),
    _csrf: field('_csrf'),
    decision,
  });
  return { page, approved, browser, field };
}

describe('CLI login', () => {
  let stack: AuthStack;

  beforeAll(async () => {
    stack = await startAuthStack({ LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(['admin@example.com', 'deployer@example.com', 'ops@example.com', 'viewer@example.com'])(
    'logs %s in: start, browser approval showing device/IP/code, one completion with the verifier',
    async (email) => {
      const { verifier, challenge } = pkcePair();
      const start = await post(stack, '/api/v1/auth/cli/start', {
        codeChallenge: challenge,
        deviceName: 'build-box',
      });
      expect(start.status).toBe(200);
      expect(start.body).toMatchObject({ loginId: expect.any(String), pollIntervalSeconds: 2 });
      const pending = await post(stack, '/api/v1/auth/cli/complete', {
        loginId: start.body.loginId,
        codeVerifier: verifier,
      });
      expect(pending).toEqual({ status: 202, body: { status: 'pending' } });

      const { page, approved } = await approveInBrowser(stack, start.body.browserUrl, email);
      expect(page.body).toContain('build-box');
      expect(page.body).toContain('127.0.0.1');
      expect(page.body).toContain(start.body.userCode);
      expect(approved.status).toBe(200);

      const done = await post(stack, '/api/v1/auth/cli/complete', {
        loginId: start.body.loginId,
        codeVerifier: verifier,
      });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ email, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const me = await fetch(`${stack.gateway.url}/api/v1/me`, { headers: bearer(done.body.token) });
      expect(await me.json()).toMatchObject({ email, channel: 'cli', kind: 'user' });

      const again = await post(stack, '/api/v1/auth/cli/complete', {
        loginId: start.body.loginId,
        codeVerifier: verifier,
      });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_login');
      expect(await auditEvents(stack, 'auth:cli_login')).toContainEqual(
        expect.objectContaining({ decision: 'allow', actor_email: email }),
      );
    },
  );

  it('refuses completion without or with a wrong verifier, even after approval', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    await approveInBrowser(stack, start.body.browserUrl, 'ops@example.com');
    const missing = await post(stack, '/api/v1/auth/cli/complete', { loginId: start.body.loginId });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/codeVerifier/);
    const wrong = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_verifier');
    expect(
      (
        await post(stack, '/api/v1/auth/cli/complete', {
          loginId: start.body.loginId,
          codeVerifier: verifier,
        })
      ).status,
    ).toBe(200);
  });

  it('says the login was closed, not denied, after 5 wrong verifiers although the person approved', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    await approveInBrowser(stack, start.body.browserUrl, 'ops@example.com');
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await post(stack, '/api/v1/auth/cli/complete', {
        loginId: start.body.loginId,
        codeVerifier: pkcePair().verifier,
      });
      expect(wrong.body.error).toBe('invalid_verifier');
    }
    const done = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(done.status).toBe(403);
    expect(done.body.error).toBe('login_closed');
    expect(done.body.message).toMatch(/closed after 5 wrong code verifiers.*run the login again/);
    expect(done.body.message).not.toMatch(/denied/);
    expect(done.body).not.toHaveProperty('token');
  });

  it('tells the browser the login was closed by wrong verifiers, not that its link expired', async () => {
    const { challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    const wrongVerifiers = async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        await post(stack, '/api/v1/auth/cli/complete', {
          loginId: start.body.loginId,
          codeVerifier: pkcePair().verifier,
        });
      }
    };
    // The approval page is open when another program burns the login: pressing Approve says why it failed.
    const browser = new CookieJarClient();
    const path = new URL(start.body.browserUrl).pathname + new URL(start.body.browserUrl).search;
    const { page } = await browserLogin(stack, 'ops@example.com', path, browser);
    expect(page.body).toContain('Approve CLI login?');
    await wrongVerifiers();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)![1];
    const approved = await browser.submitForm(`${stack.gateway.url}/api/v1/auth/cli/approve`, {
      loginId: field('loginId'),
      _csrf: field('_csrf'),
      decision: 'approve',
    });
    expect(approved.status).toBe(403);
    expect(approved.body).toContain('login_closed');
    // Opening the link again shows what happened and what to do.
    const reopened = await browser.request(start.body.browserUrl);
    expect(reopened.status).toBe(410);
    expect(reopened.body).toContain('CLI login closed');
    expect(reopened.body).toContain('closed after 5 wrong verification attempts');
    expect(reopened.body).toContain('Run the login in your terminal again.');
    expect(reopened.body).not.toContain('expired');
  });

  it('still says "expired" for a link that is unknown', async () => {
    const res = await fetch(
      `${stack.gateway.url}/api/v1/auth/cli/authorize?loginId=00000000-0000-4000-8000-000000000000`,
    );
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('Login link expired');
  });

  it('issues nothing when the person presses Deny', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    await approveInBrowser(stack, start.body.browserUrl, 'viewer@example.com', 'deny');
    const done = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(done.status).toBe(403);
    expect(done.body.error).toBe('login_denied');
  });

  it('refuses an approval POST without the CSRF token', async () => {
    const { challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    const { browser } = await browserLogin(stack, 'viewer@example.com');
    const res = await browser.submitForm(`${stack.gateway.url}/api/v1/auth/cli/approve`, {
      loginId: start.body.loginId,
      decision: 'approve',
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toBe('csrf_failed');
  });

  it('refuses a malformed start with a clear 400', async () => {
    const res = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/codeChallenge must be 43 base64url characters/);
  });

  it('expires pending logins after ten minutes', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    await stack.db.query(`UPDATE cli_logins SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      start.body.loginId,
    ]);
    const done = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(done.status).toBe(400);
    expect(done.body.error).toBe('invalid_login');
    const page = await fetch(start.body.browserUrl, { redirect: 'manual' });
    expect(page.status).toBe(410);
  });
});
