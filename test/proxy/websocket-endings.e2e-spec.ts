import { Client } from 'pg';
import WebSocket from 'ws';
import { sendRawHttp, type RawHeaders } from '../harness/raw-http-exchange';
import { openLiveWebsocket } from './live-websocket';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

/**
 * How websocket sessions end when something goes wrong: a rack that dies mid-stream, and refusals on
 * websocket routes, which are told in-band (101, `ERROR: …` text frame, close) like a rack reports its
 * own errors, while requests that must not be upgraded at all still get plain HTTP.
 */
interface AuditRow {
  action: string;
  decision: string;
  result: string;
  status: number | null;
  outcome_details: string | null;
}

interface Refusal {
  /** The status of the handshake answer: 101 for an in-band refusal. */
  handshake: number;
  requestId: string;
  text: string;
  close?: { code: number; reason: string };
  body?: string;
}

/** Opens a websocket and reads whatever answer comes: an HTTP refusal, or frames until the close. */
function attempt(url: string, headers: Record<string, string>): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true });
    const answer: Refusal = { handshake: 0, requestId: '', text: '' };
    ws.on('upgrade', (res) => {
      answer.handshake = res.statusCode ?? 0;
      answer.requestId = String(res.headers['x-request-id'] ?? '');
    });
    ws.on('message', (data: Buffer, isBinary) => {
      // A binary frame is the rack's end-of-stream: hang up like the convox CLI does.
      if (isBinary) ws.close(1000);
      else answer.text += data.toString('utf8');
    });
    ws.on('close', (code, reason) => resolve({ ...answer, close: { code, reason: reason.toString() } }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          ...answer,
          handshake: res.statusCode ?? 0,
          requestId: String(res.headers['x-request-id'] ?? ''),
          body,
        }),
      );
    });
    ws.on('error', reject);
  });
}

describe('websocket endings: a lost rack and refusals', () => {
  let stack: ProxyStack;
  let db: Client;
  let wsBase: string;

  beforeAll(async () => {
    stack = await startProxyStack();
    wsBase = stack.proxyUrl.replace(/^http/, 'ws');
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  /** Every event of a request once none is open (and a moment more, so a late duplicate shows). */
  async function eventsOf(requestId: string): Promise<AuditRow[]> {
    expect(requestId).not.toBe('');
    const read = async () =>
      (
        await db.query<AuditRow>(
          'SELECT action, decision, result, status, outcome_details FROM audit_events WHERE request_id = $1',
          [requestId],
        )
      ).rows;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const rows = await read();
      if (rows.length > 0 && rows.every((r) => r.result !== 'open')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return read();
  }

  it('closes with 1011 "rack connection lost" when the rack dies mid-stream, and audits the failure', async () => {
    const socket = openLiveWebsocket(`${wsBase}/apps/myapp/logs`, {
      authorization: cliAuth(stack.tokens.viewer),
      Prefix: 'true',
      Since: '1h',
    });
    await socket.waitForText('[pod/');
    expect(stack.rack.dropWebsockets()).toBe(1);
    const closed = await socket.closed;
    expect({ code: closed.code, reason: closed.reason }).toEqual({
      code: 1011,
      reason: 'rack connection lost',
    });
    expect(socket.text()).toMatch(/ERROR: rack connection lost\n$/);
    const [event] = await eventsOf(socket.requestId());
    expect(event).toMatchObject({ action: 'convox:log:read', status: 101, result: 'error' });
    expect(JSON.parse(event.outcome_details ?? '{}')).toMatchObject({
      error: 'rack connection lost',
      closeCode: 1011,
    });
  });

  it('ends a finished exec normally: no 1011, no ERROR, audited as success', async () => {
    const exec = await attempt(`${wsBase}/apps/myapp/processes/web/exec`, {
      authorization: cliAuth(stack.tokens.ops),
      Command: 'exit 0',
      Tty: 'false',
    });
    expect(exec.close?.code).not.toBe(1011);
    expect(exec.text).not.toContain('ERROR:');
    const [event] = await eventsOf(exec.requestId);
    expect(event.result).toBe('success');
  });

  it.each([
    [
      'no credential',
      {},
      '/apps/myapp/logs',
      401,
      'the rack proxy needs an Authorization header (Bearer or Basic convox:<token>); a cookie alone is not accepted here',
    ],
    [
      'a bad token',
      { authorization: 'Bearer rgw_not-a-real-token-at-all' },
      '/apps/myapp/logs',
      401,
      'the session or token is not valid',
    ],
    ['a viewer', 'viewer', '/apps/myapp/processes/web/exec', 403, 'permission denied: convox:process:exec'],
  ])(
    'refuses %s in-band, like a rack, and audits it once',
    async (_name, credential, path, status, message) => {
      const headers =
        credential === 'viewer'
          ? { authorization: cliAuth(stack.tokens.viewer) }
          : (credential as Record<string, string>);
      const answer = await attempt(`${wsBase}${path}`, { ...headers, Command: 'sh' });
      expect(answer.handshake).toBe(101);
      expect(answer.text).toBe(`ERROR: ${message}\n`);
      expect(answer.close).toEqual({ code: 4000 + status, reason: message });
      const events = await eventsOf(answer.requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ decision: 'deny', status, result: 'denied' });
      expect(JSON.parse(events[0].outcome_details ?? '{}')).toMatchObject({ inBand: true });
    },
  );

  it('never reaches the rack with an in-band refusal', async () => {
    stack.rack.clearRequests();
    await attempt(`${wsBase}/apps/myapp/processes/web/exec`, {
      authorization: cliAuth(stack.tokens.viewer),
      Command: 'sh',
    });
    expect(stack.rack.requests.filter((r) => r.websocket)).toEqual([]);
  });

  it('answers a route that is no websocket with plain HTTP, never upgrading', async () => {
    const answer = await attempt(`${wsBase}/apps`, { authorization: cliAuth(stack.tokens.admin) });
    expect(answer.handshake).toBe(403);
    expect(answer.text).toBe('');
    expect(JSON.parse(answer.body ?? '{}')).toEqual({ error: 'route not allowed: SOCKET /apps' });
    expect(await eventsOf(answer.requestId)).toHaveLength(1);
  });

  it.each([
    ['an encoded path traversal', '/apps/myapp/%2e%2e/%2e%2e/system/logs', 400],
    ['a path traversal without credentials', '/apps/myapp/%2e%2e/%2e%2e/system/logs', 401],
  ])('answers %s with plain HTTP, never upgrading', async (name, path, status) => {
    const port = Number(new URL(stack.gateway.url).port);
    const answer = await sendRawHttp(port, {
      method: 'GET',
      target: `${new URL(stack.proxyUrl).pathname}${path}`,
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ...(name.includes('without credentials')
          ? []
          : ([['Authorization', cliAuth(stack.tokens.viewer)]] as RawHeaders)),
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ],
    });
    expect(answer.status).toBe(status);
    expect(answer.raw).not.toContain('101 Switching Protocols');
  });
});
