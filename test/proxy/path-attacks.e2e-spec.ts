import WebSocket from 'ws';
import { RACK_PROXY_PREFIX } from '../../src/access-control/rack-proxy-path';
import { expandPatterns } from '../../src/rbac/permission-match';
import { rolePermissions } from '../../src/rbac/roles';
import { matchConvoxRoute } from '../../src/rbac/route-matcher';
import { PATH_ATTACKS, type PathAttack } from '../../src/rbac/testing/path-attacks';
import { sendRawHttp, type RawHeaders, type RawHttpAnswer } from '../harness/raw-http-exchange';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

const viewerHolds = new Set<string>(expandPatterns(rolePermissions('viewer')));
const UPGRADE_HEADERS: RawHeaders = [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
];

describe('path attacks through the real gateway (viewer token, raw request targets)', () => {
  let stack: ProxyStack;
  let port: number;

  beforeAll(async () => {
    stack = await startProxyStack();
    port = Number(new URL(stack.gateway.url).port);
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.rack.clearRequests());

  const viewerAuth = (): [string, string] => ['Authorization', cliAuth(stack.tokens.viewer)];
  const gatewayHost = (): [string, string] => ['Host', `127.0.0.1:${port}`];

  /** Requests the rack received that are not a route the viewer holds (`METHOD /path`), expected empty. */
  function rackRequestsBeyondViewer(): string[] {
    return stack.rack.requests
      .filter((seen) => {
        const permission = matchConvoxRoute(seen.method, seen.path, seen.websocket)?.route.permission;
        return !permission || !viewerHolds.has(permission);
      })
      .map((seen) => `${seen.websocket ? 'SOCKET' : seen.method} ${seen.path}`);
  }

  /** A plain request (or a non-GET upgrade, which the ws client cannot send) written byte for byte. */
  function sendPlain(attack: PathAttack): Promise<RawHttpAnswer> {
    const headers: RawHeaders = [gatewayHost(), viewerAuth()];
    for (const [name, value] of Object.entries(attack.headers ?? {})) headers.push([name, String(value)]);
    if (attack.websocket) headers.push(...UPGRADE_HEADERS);
    else headers.push(['Connection', 'close']);
    if (['POST', 'PUT', 'PATCH'].includes(attack.method)) headers.push(['Content-Length', '0']);
    return sendRawHttp(port, {
      method: attack.method,
      target: `${RACK_PROXY_PREFIX}${attack.target}`,
      headers,
    });
  }

  /** A GET websocket upgrade with the ws client; the refusal (or the rack's first frame) is the answer. */
  function sendWebsocket(attack: PathAttack): Promise<RawHttpAnswer> {
    const url = `ws://127.0.0.1:${port}${RACK_PROXY_PREFIX}${attack.target}`;
    // The ws client parses the URL: only clean targets may take this path, or it would test a normalised one.
    const parsed = new URL(url);
    expect(`${parsed.pathname}${parsed.search}`).toBe(`${RACK_PROXY_PREFIX}${attack.target}`);
    const headers: Record<string, string> = { authorization: cliAuth(stack.tokens.viewer) };
    for (const [name, value] of Object.entries(attack.headers ?? {})) headers[name] = String(value);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? null, body, raw: body }));
      });
      // A refusal on a websocket route comes in-band: `ERROR: …`, then close 4000 + status. Anything else
      // after the upgrade is the rack's stream.
      ws.on('message', () => undefined);
      ws.on('close', (code, reason) => {
        if (code >= 4400 && code <= 4599) {
          const body = JSON.stringify({ error: reason.toString() });
          resolve({ status: code - 4000, body, raw: body });
        } else resolve({ status: 101, body: '', raw: '' });
      });
      ws.on('open', () => {
        setTimeout(() => ws.terminate(), 500).unref();
      });
      ws.on('error', reject);
    });
  }

  it('sends at least 40 attacks from the shared table', () => {
    expect(PATH_ATTACKS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PATH_ATTACKS.map((attack) => [attack.name, attack] as const))(
    '%s: the gateway refuses it or forwards only that viewer route',
    async (_name, attack) => {
      const answer =
        attack.websocket && attack.method === 'GET' ? await sendWebsocket(attack) : await sendPlain(attack);
      expect(rackRequestsBeyondViewer()).toEqual([]);

      if (attack.expect === 'allowed') {
        expect([400, 401, 403, null]).not.toContain(answer.status);
        const [path, query = ''] = attack.target.split(/\?(.*)/s);
        expect(stack.rack.requests.map((seen) => ({ path: seen.path, query: seen.query }))).toEqual([
          { path, query },
        ]);
        return;
      }
      const expected = attack.overTheWire ?? attack.expect;
      expect(answer.status).toBe(expected === 'closed' ? null : expected);
      expect(stack.rack.requests).toEqual([]);
      // Our refusals name the reason; node's own HTTP parser refuses malformed request lines with no body.
      if (answer.body !== '') expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String) });
    },
  );

  describe('transport-level tricks', () => {
    it('refuses an absolute-form target naming another host (GET http://evil/apps)', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: 'http://evil.example/apps',
        headers: [gatewayHost(), viewerAuth(), ['Connection', 'close']],
      });
      expect(answer.status).toBe(404);
      expect(stack.rack.requests).toEqual([]);
    });

    it('refuses an absolute-form target even with the proxy prefix', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: `http://evil.example${RACK_PROXY_PREFIX}/apps?`,
        headers: [gatewayHost(), viewerAuth(), ['Connection', 'close']],
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid path: not a rack proxy path' });
      expect(stack.rack.requests).toEqual([]);
    });

    it.each([
      ['a POST the viewer may not send', 'POST', '/apps'],
      ['a GET the viewer may send', 'GET', '/apps?'],
    ])(
      'refuses Transfer-Encoding + Content-Length smuggling a DELETE inside %s',
      async (_label, method, target) => {
        const smuggled = `DELETE /apps/myapp HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
        const body = `0\r\n\r\n${smuggled}`;
        const answer = await sendRawHttp(port, {
          method,
          target: `${RACK_PROXY_PREFIX}${target}`,
          headers: [
            gatewayHost(),
            viewerAuth(),
            ['Content-Length', String(body.length)],
            ['Transfer-Encoding', 'chunked'],
          ],
          body,
        });
        expect(answer.status).toBe(400);
        // One answer only: the smuggled DELETE was never read as a second request.
        expect(answer.raw.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
        expect(stack.rack.requests).toEqual([]);
      },
    );

    it('serves an HTTP/1.0 request without Host for a viewer route, forwarding exactly that path', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: `${RACK_PROXY_PREFIX}/apps?`,
        version: 'HTTP/1.0',
        headers: [viewerAuth()],
      });
      expect(answer.status).toBe(200);
      expect(Array.isArray(JSON.parse(answer.body))).toBe(true);
      expect(stack.rack.requests.map((seen) => `${seen.method} ${seen.path}`)).toEqual(['GET /apps']);
    });

    it('refuses an HTTP/1.0 DELETE the viewer may not send', async () => {
      const answer = await sendRawHttp(port, {
        method: 'DELETE',
        target: `${RACK_PROXY_PREFIX}/apps/myapp`,
        version: 'HTTP/1.0',
        headers: [viewerAuth()],
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: 'permission denied: convox:app:delete' });
      expect(stack.rack.requests).toEqual([]);
    });

    it('refuses the case-changed prefix /API/v1/rack-proxy/apps (Express would route it)', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: '/API/v1/rack-proxy/apps?',
        headers: [gatewayHost(), viewerAuth(), ['Connection', 'close']],
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid path: not a rack proxy path' });
      expect(stack.rack.requests).toEqual([]);
    });

    it('does not upgrade a websocket under the case-changed prefix', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: '/API/v1/rack-proxy/apps/myapp/logs',
        headers: [gatewayHost(), viewerAuth(), ...UPGRADE_HEADERS],
      });
      expect(answer.status).toBe(404);
      expect(stack.rack.requests).toEqual([]);
    });

    it('ignores rewrite headers naming another route (X-Original-URL, X-Rewrite-URL)', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: `${RACK_PROXY_PREFIX}/apps?`,
        headers: [
          gatewayHost(),
          viewerAuth(),
          ['X-Original-URL', '/API/v1/rack-proxy/kubernetes/api/v1/secrets'],
          ['X-Rewrite-URL', `${RACK_PROXY_PREFIX}/apps/myapp/processes/web/exec`],
          ['Connection', 'close'],
        ],
      });
      expect(answer.status).toBe(200);
      expect(stack.rack.requests.map((seen) => `${seen.method} ${seen.path}`)).toEqual(['GET /apps']);
    });

    it('forwards a viewer route with a Host header pointing elsewhere to the configured rack only', async () => {
      const answer = await sendRawHttp(port, {
        method: 'GET',
        target: `${RACK_PROXY_PREFIX}/apps?`,
        headers: [['Host', 'evil.example'], viewerAuth(), ['Connection', 'close']],
      });
      expect(answer.status).toBe(200);
      expect(stack.rack.requests).toHaveLength(1);
      expect(stack.rack.requests[0]).toMatchObject({
        method: 'GET',
        path: '/apps',
        headers: expect.objectContaining({ host: `127.0.0.1:${stack.rack.port}` }) as unknown,
      });
    });

    it('still refuses a denied route when the Host header points elsewhere', async () => {
      const answer = await sendRawHttp(port, {
        method: 'DELETE',
        target: `${RACK_PROXY_PREFIX}/apps/myapp`,
        headers: [['Host', 'evil.example'], viewerAuth(), ['Connection', 'close']],
      });
      expect(answer.status).toBe(403);
      expect(stack.rack.requests).toEqual([]);
    });
  });
});
