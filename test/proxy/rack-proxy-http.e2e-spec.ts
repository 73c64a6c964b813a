import { request } from 'node:http';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from './proxy-stack';

describe('rack proxy: plain HTTP through the gateway', () => {
  let stack: ProxyStack;

  beforeAll(async () => {
    stack = await startProxyStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.rack.clearRequests());

  const get = (path: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.proxyUrl}${path}`, { headers: { authorization: cliAuth(token), ...headers } });

  it('lists apps, processes and releases as the rack does', async () => {
    const apps = await get('/apps?', stack.tokens.viewer);
    expect(apps.status).toBe(200);
    const names = ((await apps.json()) as { name: string }[]).map((app) => app.name);
    expect(names).toEqual(expect.arrayContaining(['myapp', 'api']));

    const ps = await get('/apps/myapp/processes?', stack.tokens.viewer);
    expect(ps.status).toBe(200);
    expect(((await ps.json()) as { name: string }[]).length).toBeGreaterThan(0);

    const releases = await get('/apps/myapp/releases?limit=2', stack.tokens.ops);
    expect(releases.status).toBe(200);
    expect((await releases.json()) as unknown[]).toHaveLength(2);
    expect(stack.rack.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      'GET /apps?',
      'GET /apps/myapp/processes?',
      'GET /apps/myapp/releases?limit=2',
    ]);
  });

  it('replaces credentials, drops hop-by-hop and spoofing headers, keeps option headers', async () => {
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${stack.proxyUrl}/apps/myapp/services/web/processes?`,
        {
          method: 'POST',
          headers: {
            authorization: cliAuth(stack.tokens.ops),
            connection: 'keep-alive, X-Hop-Secret',
            'x-hop-secret': 'must-not-pass',
            'keep-alive': 'timeout=5',
            te: 'trailers',
            'proxy-authorization': 'Basic Zm9vOmJhcg==',
            cookie: 'rgw_session=abc',
            'x-user-email': 'ceo@example.com',
            'x-forwarded-for': '6.6.6.6',
            'x-forwarded-host': 'evil.test',
            'x-convox-actor': 'someone-else',
            command: 'sleep 3600',
            height: '40',
            width: '120',
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(response.status).toBe(200);
    const [seen] = stack.rack.requests;
    expect(seen.path).toBe('/apps/myapp/services/web/processes');
    expect(seen.headers.authorization).toBe(
      `Basic ${Buffer.from(`convox:${RACK_PASSWORD}`).toString('base64')}`,
    );
    expect(seen.headers['convox-actor']).toBe('token:ops-token');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-request-id']).toEqual(expect.any(String));
    for (const dropped of [
      'x-hop-secret',
      'keep-alive',
      'te',
      'proxy-authorization',
      'cookie',
      'x-user-email',
      'x-forwarded-host',
      'x-convox-actor',
    ]) {
      expect(seen.headers[dropped]).toBeUndefined();
    }
    expect(seen.headers).toMatchObject({ command: 'sleep 3600', height: '40', width: '120' });
    expect(response.body).not.toContain(RACK_PASSWORD);
  });

  it('relays rack errors untouched so the CLI can match on their text', async () => {
    const missing = await get('/apps/nope?', stack.tokens.viewer);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('app not found');
  });

  it('answers the CLI probes itself without reaching the rack', async () => {
    const probe = await get('/machines?', stack.tokens.viewer);
    expect(probe.status).toBe(404);
    expect(stack.rack.requests).toHaveLength(0);
  });

  it('refuses without credentials, and a route the role lacks, naming the permission', async () => {
    const anonymous = await fetch(`${stack.proxyUrl}/apps?`);
    expect(anonymous.status).toBe(401);
    const denied = await get('/apps/myapp/releases?', stack.tokens.viewer);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ error: 'permission denied: convox:release:list' });
    expect(stack.rack.requests).toHaveLength(0);
  });

  it('never shows the rack password to the client, even on the rack system route', async () => {
    const system = await get('/system?', stack.tokens.admin);
    expect(system.status).toBe(200);
    const text = await system.text();
    expect(text).not.toContain(RACK_PASSWORD);
    for (const [, value] of system.headers) expect(value).not.toContain(RACK_PASSWORD);
  });
});
