import { randomBytes } from 'node:crypto';
import { pickAccount } from '../auth/auth-fixture';
import { CookieJarClient } from '../harness/cookie-jar-client';
import type { CliRun, CliRunner } from './cli-runner';

export interface BrowserLoginResult {
  cli: CliRun;
  /** The code the CLI printed. */
  cliCode: string;
  /** The code the approval page showed. */
  pageCode: string;
  approvalPage: string;
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

/**
 * `rack-gateway login <rack> <url> --no-open`, with the browser leg played by a cookie-jar HTTP client:
 * the printed URL → Google account picker → approval page → Approve. Resolves once the CLI has exited.
 */
export async function loginWithBrowser(
  runner: CliRunner,
  rackName: string,
  gatewayUrl: string,
  email: string,
): Promise<BrowserLoginResult> {
  const child = runner.spawn(['login', rackName, gatewayUrl, '--no-open']);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end();
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  try {
    const [, browserUrl] = await waitForOutput(() => stderr, URL_LINE);
    const [, cliCode] = await waitForOutput(() => stderr, CODE_LINE);

    const browser = new CookieJarClient();
    const picker = await browser.get(browserUrl);
    const approval = await pickAccount(browser, picker, email);
    if (!approval.body.includes('Approve CLI login?'))
      throw new Error(`no approval page (${approval.status}): ${approval.body.slice(0, 300)}`);
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(approval.body)?.[1] ?? '';
    const pageCode = /<code id="user-code">([^<]*)<\/code>/.exec(approval.body)?.[1] ?? '';
    const approved = await browser.submitForm(new URL('/api/v1/auth/cli/approve', gatewayUrl), {
      loginId: field('loginId'),
      _csrf: field('_csrf'),
      decision: 'approve',
    });
    if (approved.status !== 200) throw new Error(`approve answered ${approved.status}: ${approved.body}`);
    const code = await exited;
    return { cli: { code, stdout, stderr }, cliCode, pageCode, approvalPage: approval.body };
  } catch (error) {
    child.kill('SIGKILL');
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
