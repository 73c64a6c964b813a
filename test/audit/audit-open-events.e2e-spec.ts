import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { AuditChainService } from '../../src/audit/audit-chain.service';
import { RACK_PROXY_PREFIX } from '../../src/access-control/rack-proxy-path';
import { sendRawHttp, type RawHeaders } from '../harness/raw-http-exchange';
import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

interface EventRow {
  action: string;
  decision: string;
  result: string;
  status: number | null;
  actor_email: string | null;
}

describe('every proxied request gets an audit outcome, however its body ends', () => {
  let stack: ProxyStack;
  let port: number;

  beforeAll(async () => {
    stack = await startProxyStack();
    port = Number(new URL(stack.gateway.url).port);
  });
  afterAll(() => stack.close());

  async function eventsSince(index: string): Promise<EventRow[]> {
    return stack.gateway.app
      .get(DataSource)
      .query(
        `SELECT action, decision, result, status, actor_email FROM audit_events WHERE chain_index > $1 ORDER BY chain_index`,
        [index],
      );
  }

  async function lastIndex(): Promise<string> {
    const [row] = (await stack.gateway.app
      .get(DataSource)
      .query('SELECT COALESCE(MAX(chain_index), -1)::text AS i FROM audit_events')) as { i: string }[];
    return row.i;
  }

  /** Open events settle asynchronously after the socket closes; give them a moment. */
  async function settled(index: string, expected: number): Promise<EventRow[]> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const rows = await eventsSince(index);
      if ((rows.length >= expected && rows.every((r) => r.result !== 'open')) || Date.now() > deadline)
        return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const cases: [string, RawHeaders, string][] = [
    ['a bogus coding', [['Transfer-Encoding', 'bogus']], 'hello'],
    ['a malformed chunk size', [['Transfer-Encoding', 'chunked']], 'zz\r\nhello\r\n0\r\n\r\n'],
  ];

  it.each(cases)('closes the event of a POST whose Transfer-Encoding is %s', async (_name, te, body) => {
    const before = await lastIndex();
    stack.rack.clearRequests();
    await sendRawHttp(port, {
      method: 'POST',
      target: `${RACK_PROXY_PREFIX}/apps/app1/objects/tmp/x.tgz`,
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Authorization', cliAuth(stack.tokens.deployer)],
        ['Connection', 'close'],
        ...te,
      ],
      body,
    });
    const rows = await settled(before, 1);
    expect(rows.filter((row) => row.result === 'open')).toEqual([]);
    // One event for the request, attributed to the caller: no anonymous second event.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'convox:object:create', actor_email: 'deployer@example.com' });
    expect(rows[0].status).toBeGreaterThanOrEqual(400);
    // A body the HTTP parser refused never reaches the rack.
    expect(stack.rack.requests.filter((seen) => seen.method === 'POST')).toEqual([]);

    const report = await stack.gateway.app.get(AuditChainService).verify();
    expect(report.open.count).toBe(0);
  });

  it('opens nothing for `chunked, gzip`, which node refuses before it is a request', async () => {
    const before = await lastIndex();
    const answer = await sendRawHttp(port, {
      method: 'POST',
      target: `${RACK_PROXY_PREFIX}/apps/app1/objects/tmp/x.tgz`,
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Authorization', cliAuth(stack.tokens.deployer)],
        ['Connection', 'close'],
        ['Transfer-Encoding', 'chunked, gzip'],
      ],
      body: '5\r\nhello\r\n0\r\n\r\n',
    });
    expect(answer.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await eventsSince(before)).toEqual([]);
    expect((await stack.gateway.app.get(AuditChainService).verify()).open.count).toBe(0);
  });

  it('closes the event of an upload the client abandons right after sending its headers', async () => {
    const before = await lastIndex();
    stack.rack.clearRequests();
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${RACK_PROXY_PREFIX}/apps/app1/objects/tmp/y.tgz HTTP/1.1\r\n` +
            `Host: 127.0.0.1:${port}\r\nAuthorization: ${cliAuth(stack.tokens.deployer)}\r\n` +
            'Content-Length: 1000\r\n\r\npartial',
        );
        // Gone while the gateway is still checking the credential.
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
      socket.on('error', () => undefined);
    });
    const rows = await settled(before, 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'convox:object:create',
      actor_email: 'deployer@example.com',
      result: 'aborted',
      status: 499,
    });
    expect((await stack.gateway.app.get(AuditChainService).verify()).open.count).toBe(0);
  });
});
