/**
 * A small browser stand-in for end-to-end tests: global fetch plus a cookie jar keyed by host and path, with
 * redirects followed by hand (so every hop's Set-Cookie is kept, across the gateway and the login server).
 */
interface JarCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export interface Page {
  status: number;
  url: URL;
  headers: Headers;
  body: string;
}

const MAX_REDIRECTS = 15;

export class CookieJarClient {
  private readonly jar: JarCookie[] = [];

  /** `fetcher` sends each request (a test that serves https with its own CA passes one that trusts it). */
  constructor(private readonly fetcher: typeof fetch = fetch) {}

  /** The value of a cookie the client holds for `host` (e.g. `127.0.0.1:8080`). */
  cookie(host: string, name: string): string | undefined {
    return this.jar.find((c) => c.host === host && c.name === name)?.value;
  }

  setCookie(host: string, name: string, value: string): void {
    this.store({ name, value, host, path: '/' });
  }

  /** GET, following redirects. */
  get(url: string | URL, headers: Record<string, string> = {}): Promise<Page> {
    return this.navigate(new URL(url), { method: 'GET', headers });
  }

  /** Submits a urlencoded form (with the Origin a browser would send), following redirects. */
  submitForm(
    url: string | URL,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const target = new URL(url);
    return this.navigate(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: target.origin, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** One request without following redirects; cookies are sent and remembered. */
  async request(url: string | URL, init: RequestInit = {}): Promise<Page> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookieHeader = this.cookieHeaderFor(target);
    if (cookieHeader && !headers.has('cookie')) headers.set('cookie', cookieHeader);
    const response = await this.fetcher(target, { ...init, headers, redirect: 'manual' });
    this.remember(target, response.headers.getSetCookie());
    return { status: response.status, url: target, headers: response.headers, body: await response.text() };
  }

  private async navigate(start: URL, first: RequestInit): Promise<Page> {
    let url = start;
    let init = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const page = await this.request(url, init);
      const location = page.headers.get('location');
      if (page.status < 300 || page.status >= 400 || !location) return page;
      url = new URL(location, url);
      init = { method: 'GET' };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${start.href}`);
  }

  private cookieHeaderFor(url: URL): string {
    return this.jar
      .filter(
        (c) =>
          c.host === url.host &&
          (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private remember(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const cookie: JarCookie = {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        host: url.host,
        path: '/',
      };
      let expired = cookie.value === '';
      for (const attribute of attributes) {
        const [key, value = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') cookie.path = value || '/';
        if (key.toLowerCase() === 'max-age' && Number(value) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now()) expired = true;
      }
      if (expired) this.forget(cookie);
      else this.store(cookie);
    }
  }

  private store(cookie: JarCookie): void {
    this.forget(cookie);
    this.jar.push(cookie);
  }

  private forget(cookie: JarCookie): void {
    const index = this.jar.findIndex(
      (c) => c.host === cookie.host && c.name === cookie.name && c.path === cookie.path,
    );
    if (index >= 0) this.jar.splice(index, 1);
  }
}
