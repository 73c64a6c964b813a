import { CookieJarClient, type Page } from '../harness/cookie-jar-client';
import { pickAccount } from './auth-fixture';

/** What the console's approval page reads: `GET /api/v1/auth/cli/logins/:loginId`. */
export interface CliLoginDetails {
  loginId: string;
  deviceName: string | null;
  requesterIp: string | null;
  userCode: string;
  expiresAt: string;
}

export interface JsonAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shapes are asserted by the tests
  body: any;
}

/**
 * The console's CLI login page played by a cookie-jar client (no JavaScript): the link the CLI printed
 * redirects to `/app/cli-login?loginId=…`; without a session the console signs in (mock Google account
 * picker) and comes back there; the page then reads the login and sends the decision with the CSRF header,
 * exactly the calls the page makes.
 */
export class CliLoginConsole {
  private constructor(
    readonly browser: CookieJarClient,
    /** The console page the browser ended on (`/app/cli-login?loginId=…`). */
    readonly landing: Page,
    readonly loginId: string,
  ) {}

  /** Follows `browserUrl`; signs in as `email` when the browser has no session yet. */
  static async open(
    browserUrl: string,
    email: string,
    browser = new CookieJarClient(),
  ): Promise<CliLoginConsole> {
    let landing = await browser.get(browserUrl);
    if (landing.url.pathname !== '/app/cli-login') {
      throw new Error(`the CLI's link led to ${landing.url.href} (${landing.status}), not the console page`);
    }
    const signedIn = (await browser.request(new URL('/api/v1/me', landing.url))).status === 200;
    if (!signedIn) {
      const returnTo = `${landing.url.pathname}${landing.url.search}`;
      const login = new URL(`/api/v1/auth/web/login?returnTo=${encodeURIComponent(returnTo)}`, landing.url);
      landing = await pickAccount(browser, await browser.get(login), email);
      if (landing.url.pathname !== '/app/cli-login') {
        throw new Error(`sign-in came back to ${landing.url.href} (${landing.status}), not the console page`);
      }
    }
    return new CliLoginConsole(browser, landing, landing.url.searchParams.get('loginId') ?? '');
  }

  /** The page's read of the login. */
  details(): Promise<JsonAnswer> {
    return this.call('GET', `/api/v1/auth/cli/logins/${encodeURIComponent(this.loginId)}`);
  }

  /** The page's Approve / Deny button; `headers` replace what the page sends (to forge a request). */
  decide(decision: string, headers?: Record<string, string>): Promise<JsonAnswer> {
    return this.call(
      'POST',
      `/api/v1/auth/cli/logins/${encodeURIComponent(this.loginId)}/decision`,
      { decision },
      headers,
    );
  }

  /** The headers the console sends on a state change: JSON, its Origin and the echoed CSRF cookie. */
  pageHeaders(): Record<string, string> {
    return {
      'content-type': 'application/json',
      origin: this.landing.url.origin,
      'x-csrf-token': this.browser.cookie(this.landing.url.host, 'rgw_csrf') ?? '',
    };
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    headers = this.pageHeaders(),
  ): Promise<JsonAnswer> {
    const answer = await this.browser.request(new URL(path, this.landing.url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: unknown = answer.body;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      // not JSON: the text as it came
    }
    return { status: answer.status, body: parsed };
  }
}
