import { CsrfService } from '../../src/auth/csrf.service';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import type { MfaStack } from './mfa-stack';

export interface JsonAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shapes are asserted by the tests
  body: any;
}

/** A signed-in browser of `email` making the console's calls (cookie, Origin, CSRF header). */
export interface ConsoleSession {
  sessionId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonAnswer>;
  /** The headers the console sends: its cookies, its Origin and the echoed CSRF token. */
  headers: Record<string, string>;
}

/**
 * A web session made the way the Google callback makes it, presented the way a browser does: the
 * `rgw_session` cookie, and on a state change the page's Origin and the CSRF token it read from the
 * `rgw_csrf` cookie. (The console page itself is driven in Chromium by test/cli/cli-passkey-always and
 * test/web/console-cli-mfa; these API tests cover the refusals without a browser.)
 */
export async function consoleSession(
  gateway: Pick<MfaStack['gateway'], 'app' | 'url'>,
  email: string,
): Promise<ConsoleSession> {
  const { app } = gateway;
  const user = await app.get(UsersService).getByEmail(email);
  const { token, session } = await app.get(SessionsService).create(user.id, 'web', { userAgent: 'console' });
  const csrf = app.get(CsrfService).tokenFor(session.id);
  const headers = {
    cookie: `rgw_session=${token}; rgw_csrf=${csrf}`,
    origin: gateway.url,
    'x-csrf-token': csrf,
    'content-type': 'application/json',
  };
  return {
    sessionId: session.id,
    headers,
    call: async (method, path, body, replaced = headers) => {
      const answer = await fetch(`${gateway.url}/api/v1/mfa/cli-approvals${path}`, {
        method,
        headers: replaced,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the text as it came
      }
      return { status: answer.status, body: parsed };
    },
  };
}
