import { createHash, randomBytes } from 'node:crypto';
import { auditEvents, AuthStack, bearer, browserLogin, startAuthStack } from './auth-fixture';
import { CliLoginConsole } from './cli-login-console';

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

/** The browser leg: follow the CLI's URL to the console page (signing in) and press a button there. */
async function approveInBrowser(browserUrl: string, email: string, decision = 'approve') {
  const page = await CliLoginConsole.open(browserUrl, email);
  const details = await page.details();
  expect(details.status).toBe(200);
  const decided = await page.decide(decision);
  return { page, details, decided };
}

/** The `auth:cli_login` event of the browser's decision on this login, once the gateway has completed it. */
async function browserDecisionEvent(stack: AuthStack, loginId: string) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const { rows } = await stack.db.query<{ outcome_details: string | null }>(
      `SELECT actor_email, decision, resource_type, resource_name, outcome_details FROM audit_events
        WHERE action = 'auth:cli_login' AND resource_name = $1 AND completed_at IS NOT NULL`,
      [loginId],
    );
    if (rows.length > 0) {
      return rows.map((row) => ({
        ...row,
        outcome_details: JSON.parse(row.outcome_details ?? '{}') as unknown,
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
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

      const { page, details, decided } = await approveInBrowser(start.body.browserUrl, email);
      expect(page.landing.url.pathname).toBe('/app/cli-login');
      expect(page.landing.status).toBe(200);
      expect(details.body).toEqual({
        loginId: start.body.loginId,
        deviceName: 'build-box',
        requesterIp: expect.stringContaining('127.0.0.1'),
        userCode: start.body.userCode,
        expiresAt: start.body.expiresAt,
      });
      expect(decided).toEqual({ status: 200, body: { loginId: start.body.loginId, status: 'approved' } });

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
      const events = await auditEvents(stack, 'auth:cli_login');
      expect(events).toContainEqual(expect.objectContaining({ decision: 'allow', actor_email: email }));
      // The browser's decision: the route's one event, completed with what the person decided.
      expect(await browserDecisionEvent(stack, start.body.loginId)).toEqual([
        expect.objectContaining({
          actor_email: email,
          decision: 'allow',
          resource_type: 'cli_login',
          outcome_details: {
            stage: 'browser',
            approved: true,
            loginId: start.body.loginId,
            deviceName: 'build-box',
            requesterIp: expect.stringContaining('127.0.0.1'),
          },
        }),
      ]);
    },
  );

  it('refuses completion without or with a wrong verifier, even after approval', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    await approveInBrowser(start.body.browserUrl, 'ops@example.com');
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
    await approveInBrowser(start.body.browserUrl, 'ops@example.com');
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
    const page = await CliLoginConsole.open(start.body.browserUrl, 'ops@example.com');
    expect((await page.details()).status).toBe(200);
    await wrongVerifiers();
    const approved = await page.decide('approve');
    expect(approved.status).toBe(410);
    expect(approved.body.error).toBe('login_closed');
    // Opening the link again shows what happened and what to do.
    const reopened = await CliLoginConsole.open(start.body.browserUrl, 'ops@example.com', page.browser);
    const details = await reopened.details();
    expect(details.status).toBe(410);
    expect(details.body.error).toBe('login_closed');
    expect(details.body.message).toContain('closed after 5 wrong code verifiers');
    expect(details.body.message).toContain('run the login again');
    expect(details.body.message).not.toContain('expired');
  });

  it('says "not found" for a link naming no login, and refuses one that is no login id', async () => {
    const unknown = await CliLoginConsole.open(
      `${stack.gateway.url}/api/v1/auth/cli/authorize?loginId=00000000-0000-4000-8000-000000000000`,
      'viewer@example.com',
    );
    const details = await unknown.details();
    expect(details.status).toBe(404);
    expect(details.body.error).toBe('cli_login_not_found');
    expect(details.body.message).toMatch(/run the login in your terminal again/);
    expect((await unknown.decide('approve')).body.error).toBe('cli_login_not_found');
    const garbage = await CliLoginConsole.open(
      `${stack.gateway.url}/api/v1/auth/cli/authorize?loginId=${encodeURIComponent('<script>')}`,
      'viewer@example.com',
      unknown.browser,
    );
    expect(garbage.landing.url.search).toBe('?loginId=%3Cscript%3E');
    const refused = await garbage.details();
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toContain('loginId must be a CLI login id');
  });

  it('refuses a decision that is neither approve nor deny, and decides a login only once', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    const page = await CliLoginConsole.open(start.body.browserUrl, 'viewer@example.com');
    const odd = await page.decide('maybe');
    expect(odd.status).toBe(400);
    expect(JSON.stringify(odd.body.message)).toContain('decision must be approve or deny');
    expect((await page.decide('deny')).body).toEqual({ loginId: start.body.loginId, status: 'denied' });
    const again = await page.decide('approve');
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({
      error: 'cli_login_decided',
      message: expect.stringMatching(/already denied/),
    });
    expect((await page.details()).body.error).toBe('cli_login_decided');
    const done = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(done.body.error).toBe('login_denied');
  });

  it('issues nothing when the person presses Deny', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    const { decided } = await approveInBrowser(start.body.browserUrl, 'viewer@example.com', 'deny');
    expect(decided.body.status).toBe('denied');
    const done = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(done.status).toBe(403);
    expect(done.body.error).toBe('login_denied');
  });

  it('refuses a decision without the CSRF token or from another origin, and approves nothing', async () => {
    const { verifier, challenge } = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: challenge });
    const page = await CliLoginConsole.open(start.body.browserUrl, 'viewer@example.com');
    const headers = page.pageHeaders();
    const noToken = await page.decide('approve', { ...headers, 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toBe('csrf_failed');
    const wrongToken = await page.decide('approve', { ...headers, 'x-csrf-token': 'guess' });
    expect(wrongToken.body.error).toBe('csrf_failed');
    const foreign = await page.decide('approve', { ...headers, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('origin_mismatch');
    // The old form's way (the token as a `_csrf` field) is no way in any more.
    const form = await page.browser.request(
      `${stack.gateway.url}/api/v1/auth/cli/logins/${start.body.loginId}/decision`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.gateway.url },
        body: new URLSearchParams({ decision: 'approve', _csrf: headers['x-csrf-token'] }).toString(),
      },
    );
    expect(form.status).toBe(403);
    expect(JSON.parse(form.body).error).toBe('csrf_failed');
    const pending = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: verifier,
    });
    expect(pending).toEqual({ status: 202, body: { status: 'pending' } });
  });

  it('lets only a browser session read or decide a CLI login: a CLI session or API token is refused', async () => {
    const first = pkcePair();
    const firstStart = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: first.challenge });
    await approveInBrowser(firstStart.body.browserUrl, 'admin@example.com');
    const cliSession = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: firstStart.body.loginId,
      codeVerifier: first.verifier,
    });
    const { browser } = await browserLogin(stack, 'admin@example.com');
    const token = await browser.request(`${stack.gateway.url}/api/v1/api-tokens`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: stack.gateway.url,
        'x-csrf-token': browser.cookie(new URL(stack.gateway.url).host, 'rgw_csrf') ?? '',
      },
      body: JSON.stringify({ name: 'cli-login-approver', role: 'admin' }),
    });
    expect(token.status).toBe(201);

    const second = pkcePair();
    const start = await post(stack, '/api/v1/auth/cli/start', { codeChallenge: second.challenge });
    for (const secret of [cliSession.body.token as string, JSON.parse(token.body).token as string]) {
      const read = await fetch(`${stack.gateway.url}/api/v1/auth/cli/logins/${start.body.loginId}`, {
        headers: bearer(secret),
      });
      expect(read.status).toBe(403);
      expect(((await read.json()) as { error: string }).error).toBe('browser_session_required');
      const decided = await post(
        stack,
        `/api/v1/auth/cli/logins/${start.body.loginId}/decision`,
        { decision: 'approve' },
        bearer(secret),
      );
      expect(decided.status).toBe(403);
      expect(decided.body.error).toBe('browser_session_required');
    }
    const pending = await post(stack, '/api/v1/auth/cli/complete', {
      loginId: start.body.loginId,
      codeVerifier: second.verifier,
    });
    expect(pending.status).toBe(202);
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
    const page = await CliLoginConsole.open(start.body.browserUrl, 'viewer@example.com');
    const details = await page.details();
    expect(details.status).toBe(410);
    expect(details.body).toMatchObject({
      error: 'cli_login_expired',
      message: expect.stringMatching(/link expired.*run the login in your terminal again/),
    });
    expect((await page.decide('approve')).body.error).toBe('cli_login_expired');
  });
});
