import { loginPollFailure } from './login-failure';

const body = (error: string, message = 'the gateway wording') => JSON.stringify({ error, message });

describe('loginPollFailure', () => {
  it('tells a login closed by wrong verifiers apart from one denied in the browser', () => {
    const closed = loginPollFailure(403, body('login_closed'));
    expect(closed).toMatch(
      /^login failed: the gateway closed this login after too many wrong code verifiers/,
    );
    expect(closed).toMatch(/run the login again$/);
    expect(closed).not.toMatch(/denied/);
    expect(loginPollFailure(403, body('login_denied'))).toBe(
      'login failed: the login was denied in the browser',
    );
  });

  it('says an expired login must be run again and a locked account needs an admin', () => {
    expect(loginPollFailure(400, body('invalid_login'))).toMatch(
      /expired or already used; run the login again$/,
    );
    expect(loginPollFailure(403, body('user_locked'))).toBe(
      'login failed: this account is locked; ask a gateway admin',
    );
  });

  it("falls back to the gateway's message, then its text, then the status", () => {
    expect(loginPollFailure(429, body('rate_limited', 'too many requests, retry in 30 s'))).toBe(
      'login failed: too many requests, retry in 30 s',
    );
    expect(loginPollFailure(502, 'Bad Gateway')).toBe('login failed: Bad Gateway');
    expect(loginPollFailure(500, '')).toBe('login failed: HTTP 500');
  });
});
