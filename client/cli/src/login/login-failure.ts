import { errorBodyCode, errorBodyText } from '../http/gateway-errors';

/**
 * What the CLI says when the gateway ends a login poll, by the gateway's error code: each way a login can
 * end has its own sentence, so a login closed because something else guessed at it is never reported as
 * "denied in the browser". Unknown codes fall back to the gateway's own words.
 */
const LOGIN_ENDINGS: Readonly<Record<string, string>> = {
  login_denied: 'the login was denied in the browser',
  login_closed:
    'the gateway closed this login after too many wrong code verifiers (something other than this CLI tried to finish it); run the login again',
  invalid_login: 'this login is unknown, expired or already used; run the login again',
  user_locked: 'this account is locked; ask a gateway admin',
};

export function loginPollFailure(status: number, body: string): string {
  const code = errorBodyCode(body);
  const sentence = (code && LOGIN_ENDINGS[code]) ?? errorBodyText(body) ?? `HTTP ${status}`;
  return `login failed: ${sentence}`;
}
