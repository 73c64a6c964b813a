import { randomBytes } from 'node:crypto';
import { CliLoginConsole } from '../auth/cli-login-console';
import type { CliRun, CliRunner } from './cli-runner';

export interface BrowserLoginResult {
  cli: CliRun;
  /** The code the CLI printed. */
  cliCode: string;
  /** The code the console's approval page showed (what its API answered). */
  pageCode: string;
}

const URL_LINE = /Open this URL to log in: (\S+)/;
const CODE_LINE = /Confirm the browser shows this code: (\S+)/;

/** Resolves with the stderr text once `pattern` appears in it. */
function waitForOutput(read: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = pattern.exec(read());
      if (match) return resolve(match);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} in:\n${read()}`));
      setTimeout(check, 25);
    };
    check();
  });
}

/** A `rack-gateway login` waiting for its browser leg. */
export interface PendingCliLogin {
  /** The link the CLI printed. */
  browserUrl: string;
  /** The code the CLI printed. */
  cliCode: string;
  /** The CLI's output once it has exited. */
  finished: Promise<CliRun>;
  kill(): void;
}

/** Starts `rack-gateway login <rack> <url> --no-open` and resolves once it has printed its link and code. */
export async function startCliLogin(
  runner: CliRunner,
  rackName: string,
  gatewayUrl: string,
): Promise<PendingCliLogin> {
  const child = runner.spawn(['login', rackName, gatewayUrl, '--no-open']);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end();
  const finished = new Promise<CliRun>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
  const kill = () => void child.kill('SIGKILL');
  try {
    const [, browserUrl] = await waitForOutput(() => stderr, URL_LINE);
    const [, cliCode] = await waitForOutput(() => stderr, CODE_LINE);
    return { browserUrl, cliCode, finished, kill };
  } catch (error) {
    kill();
    throw error;
  }
}

/**
 * `rack-gateway login <rack> <url> --no-open`, with the browser leg played by a cookie-jar HTTP client
 * making the console's calls: the printed URL → the console's approval page → sign-in (Google account
 * picker) and back → the page's read of the login → Approve. Resolves once the CLI has exited.
 */
export async function loginWithBrowser(
  runner: CliRunner,
  rackName: string,
  gatewayUrl: string,
  email: string,
): Promise<BrowserLoginResult> {
  const login = await startCliLogin(runner, rackName, gatewayUrl);
  try {
    const page = await CliLoginConsole.open(login.browserUrl, email);
    const details = await page.details();
    if (details.status !== 200) throw new Error(`the page's read answered ${details.status}`);
    const approved = await page.decide('approve');
    if (approved.status !== 200) {
      throw new Error(`approve answered ${approved.status}: ${JSON.stringify(approved.body)}`);
    }
    return { cli: await login.finished, cliCode: login.cliCode, pageCode: String(details.body.userCode) };
  } catch (error) {
    login.kill();
    throw error;
  }
}

/**
 * `rack-gateway login` while something else polls the same login with wrong code verifiers (`attempts`
 * times, before the CLI's first poll). Resolves with the CLI's output once it has exited.
 */
export async function loginPolledWithWrongVerifiers(
  runner: CliRunner,
  rackName: string,
  gatewayUrl: string,
  attempts: number,
): Promise<CliRun> {
  const child = runner.spawn(['login', rackName, gatewayUrl, '--no-open']);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end();
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  try {
    const [, browserUrl] = await waitForOutput(() => stderr, URL_LINE);
    const loginId = new URL(browserUrl).searchParams.get('loginId');
    for (let attempt = 0; attempt < attempts; attempt++) {
      const response = await fetch(new URL('/api/v1/auth/cli/complete', gatewayUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId, codeVerifier: randomBytes(32).toString('base64url') }),
      });
      if (response.status !== 400) throw new Error(`wrong verifier answered ${response.status}`);
    }
    return { code: await exited, stdout, stderr };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
