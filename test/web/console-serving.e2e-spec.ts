import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

const DIST = join(__dirname, '..', '..', 'client', 'web', 'dist');

function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? '').split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as [string, string];
    }),
  );
}

describe('the web console served at /app/', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ RACK_URL: 'http://127.0.0.1:9', RACK_TOKEN: 'unused' });
  });
  afterAll(() => gateway?.close());

  const get = (path: string) => fetch(`${gateway.url}${path}`, { redirect: 'manual' });

  it('redirects / and /app to /app/', async () => {
    for (const path of ['/', '/app']) {
      const response = await get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/app/');
    }
  });

  it('answers index.html with no-store and a strict CSP whose fresh nonce is on every tag', async () => {
    const first = await get('/app/');
    const second = await get('/app/');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const policy = directives(first.headers.get('content-security-policy'));
    const nonce = /'nonce-([^']+)'/.exec(policy.get('script-src') ?? '')?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(policy.get('script-src')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy.get('style-src')).not.toMatch(/unsafe-inline/);
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('object-src')).toBe("'none'");
    const html = await first.text();
    expect(html).not.toContain('RGW_CSP_NONCE');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      expect(tag).toContain(`nonce="${nonce}"`);
      expect(tag).toMatch(/src="\/app\/assets\//); // no inline script
    }
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    const secondNonce = /'nonce-([^']+)'/.exec(second.headers.get('content-security-policy') ?? '')?.[1];
    expect(secondNonce).not.toBe(nonce);
    await second.arrayBuffer();
  });

  it('serves hashed assets as immutable for a year', async () => {
    const asset = readdirSync(join(DIST, 'assets')).find((name) => name.endsWith('.js'));
    const response = await get(`/app/assets/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    await response.arrayBuffer();
  });

  it('falls back to index.html for client-side routes, but not for missing files', async () => {
    const route = await get('/app/users/ana%40example.com');
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-store');
    expect(await route.text()).toContain('<div id="root">');
    const missing = await get('/app/assets/no-such-file.js');
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });

  it('leaves the admin API and the rack proxy as they were', async () => {
    const proxy = await get('/api/v1/rack-proxy/apps');
    expect(proxy.status).toBe(401);
    expect(proxy.headers.get('content-type')).toMatch(/json/);
    await proxy.arrayBuffer();
    const me = await get('/api/v1/me');
    expect(me.status).toBe(401);
    await me.arrayBuffer();
    const post = await fetch(`${gateway.url}/app/`, { method: 'POST' });
    expect(post.status).toBe(404);
    await post.arrayBuffer();
  });
});
