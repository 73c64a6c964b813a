/**
 * Just enough of a browser to walk an OAuth redirect chain with global fetch: it keeps cookies (name, value,
 * path; one host), follows redirects itself, and stops as soon as a redirect points at `stopAtPrefix` (the
 * client's redirect URI), returning that URL instead of fetching it.
 */
interface StoredCookie {
  value: string;
  path: string;
}

export type BrowserOutcome =
  { kind: 'redirected'; url: URL } | { kind: 'page'; response: Response; body: string };

const MAX_REDIRECTS = 10;

export class OAuthBrowser {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly stopAtPrefix: string) {}

  get(url: string | URL): Promise<BrowserOutcome> {
    return this.navigate(new URL(url), { method: 'GET' });
  }

  /** Submits a form the way a browser does (urlencoded body), then follows where it leads. */
  submitForm(url: string | URL, fields: Record<string, string>): Promise<BrowserOutcome> {
    return this.navigate(new URL(url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async navigate(start: URL, firstRequest: RequestInit): Promise<BrowserOutcome> {
    let url = start;
    let request = firstRequest;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const headers = new Headers(request.headers);
      const cookieHeader = this.cookieHeaderFor(url);
      if (cookieHeader) headers.set('cookie', cookieHeader);
      const response = await fetch(url, { ...request, headers, redirect: 'manual' });
      this.remember(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { kind: 'page', response, body: await response.text() };
      }
      await response.arrayBuffer();
      url = new URL(location, url);
      if (url.href.startsWith(this.stopAtPrefix)) return { kind: 'redirected', url };
      request = { method: 'GET' };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects starting at ${start.href}`);
  }

  private cookieHeaderFor(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, cookie]) => url.pathname === cookie.path || url.pathname.startsWith(withSlash(cookie.path)))
      .map(([key, cookie]) => `${key.split('\n')[0]}=${cookie.value}`)
      .join('; ');
  }

  private remember(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attribute = (wanted: string): string | undefined =>
        attributes.find((item) => item.toLowerCase().startsWith(`${wanted}=`))?.slice(wanted.length + 1);
      const path = attribute('path') ?? defaultPath(url);
      const expires = attribute('expires');
      const key = `${name}\n${path}`;
      if (value === '' || (expires !== undefined && Date.parse(expires) <= Date.now()))
        this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }
}

function withSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

function defaultPath(url: URL): string {
  const lastSlash = url.pathname.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : url.pathname.slice(0, lastSlash);
}

/** The browser was sent back to the client; returns where. */
export function expectRedirect(outcome: BrowserOutcome): URL {
  if (outcome.kind !== 'redirected') {
    throw new Error(
      `expected a redirect to the client, got ${outcome.response.status}: ${outcome.body.slice(0, 300)}`,
    );
  }
  return outcome.url;
}

/** The browser stopped on a page with this status; returns its HTML. */
export function expectPage(outcome: BrowserOutcome, status: number): string {
  if (outcome.kind !== 'page') throw new Error(`expected a page, got a redirect to ${outcome.url.href}`);
  expect(outcome.response.status).toBe(status);
  return outcome.body;
}
