import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli/cli-error';
import type { GatewayClient } from '../http/gateway-client';
import { createCodeChallenge } from './code-challenge';
import { loginPollFailure } from './login-failure';

/** The prefix of the line that carries the browser URL; tests and scripts look for it. */
export const LOGIN_URL_PREFIX = 'Open this URL to log in:';
/** The prefix of the line that carries the code the approval page must show too. */
export const LOGIN_CODE_PREFIX = 'Confirm the browser shows this code:';
const LOGIN_TIMEOUT_MS = 10 * 60 * 1000;

interface CliLoginStart {
  loginId: string;
  browserUrl: string;
  userCode?: string;
  expiresAt?: string;
  pollIntervalSeconds?: number;
}

export interface CliLoginResult {
  token: string;
  expiresAt: string;
  email: string;
  name?: string;
  roles?: string[];
}

export interface LoginInteraction {
  /** Called with the absolute browser URL (and the code the approval page shows) before waiting starts. */
  browserUrlReady(url: string, userCode: string | undefined): Promise<void> | void;
  waitingStarted(): void;
}

function parseJson<T>(body: string, what: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new CliError(`the gateway sent an unreadable answer to ${what}`);
  }
}

/**
 * The secret-verified CLI login: start with the hash of a verifier only this process knows, let the
 * user finish in the browser, then poll with the verifier until the gateway hands over the session.
 */
export async function performCliLogin(
  client: GatewayClient,
  interaction: LoginInteraction,
  timeoutMs = LOGIN_TIMEOUT_MS,
): Promise<CliLoginResult> {
  const { verifier, challenge } = createCodeChallenge();
  const started = await client.send('POST', '/api/v1/auth/cli/start', {
    json: { codeChallenge: challenge, deviceName: hostname() },
  });
  if (started.status >= 400)
    throw new CliError(`login failed: ${client.failure(started.status, started.body).message}`);
  const start = parseJson<CliLoginStart>(started.body, 'the login start');
  if (!start.loginId || !start.browserUrl) throw new CliError('the gateway did not return a login URL');

  await interaction.browserUrlReady(
    new URL(start.browserUrl, `${client.target.url}/`).toString(),
    start.userCode,
  );
  interaction.waitingStarted();

  const intervalMs = Math.max(1, start.pollIntervalSeconds ?? 2) * 1000;
  const serverDeadline = start.expiresAt ? Date.parse(start.expiresAt) : Number.NaN;
  const deadline = Math.min(Date.now() + timeoutMs, Number.isNaN(serverDeadline) ? Infinity : serverDeadline);
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    const poll = await client.send('POST', '/api/v1/auth/cli/complete', {
      json: { loginId: start.loginId, codeVerifier: verifier },
    });
    if (poll.status === 202) continue;
    if (poll.status === 200) {
      const result = parseJson<CliLoginResult>(poll.body, 'the login');
      if (!result.token) throw new CliError('login failed: the gateway returned no session token');
      return result;
    }
    throw new CliError(loginPollFailure(poll.status, poll.body));
  }
  throw new CliError('login timed out waiting for the browser; run the login again');
}
