import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { AccessChain } from '../../src/access-control/chain/access-chain';
import { RackUpgradeListener } from '../../src/access-control/chain/rack-upgrade.listener';
import type { MockRack } from '../../src/dev/mock-rack';
import { cliWebsocket } from '../audit/full-stack-fixture';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

/** What the rack saw of one request, and whether the gateway's audit event for it was already committed. */
interface Witnessed {
  method: string;
  path: string;
  eventCommitted: boolean;
}

/**
 * A stand-in rack that, before it answers anything, looks in the gateway's database (over its own
 * connection, so only committed rows are visible) for the audit event of the request id it was sent.
 */
async function startWitnessRack(
  db: () => Client,
): Promise<{ server: Server; url: string; seen: Witnessed[] }> {
  const seen: Witnessed[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && path === '/apps/myapp/releases') return res.end('[{"id":"RCURRENT"}]');
    if (req.method === 'GET' && path === '/apps/myapp/releases/RCURRENT') {
      return res.end(JSON.stringify({ id: 'RCURRENT', app: 'myapp', env: 'NODE_ENV=production\nPORT=3000' }));
    }
    if (req.method === 'POST' && path === '/apps/myapp/releases') {
      req.resume();
      return req.on('end', () => res.end('{"id":"RNEW","app":"myapp"}'));
    }
    res.end('[]');
  };
  const server = createServer((req, res) => {
    const requestId = String(req.headers['x-request-id'] ?? '');
    db()
      .query('SELECT 1 FROM audit_events WHERE request_id = $1', [requestId])
      .then(({ rowCount }) => {
        seen.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0],
          eventCommitted: rowCount === 1,
        });
        answer(req, res);
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the access chain, end to end', () => {
  let stack: ProxyStack;
  let db: Client;
  let witness: Awaited<ReturnType<typeof startWitnessRack>>;

  beforeAll(async () => {
    witness = await startWitnessRack(() => db);
    stack = await startProxyStack({}, { url: witness.url } as MockRack);
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await stack.close();
    await new Promise((resolve) => witness.server.close(resolve));
  });

  const proxied = (path: string, init: RequestInit = {}) => fetch(`${stack.proxyUrl}${path}`, init);

  it('commits the audit event before the rack sees a forwarded call', async () => {
    witness.seen.length = 0;
    const res = await proxied('/apps', { headers: { authorization: cliAuth(stack.tokens.viewer) } });
    expect(res.status).toBe(200);
    expect(witness.seen).toEqual([{ method: 'GET', path: '/apps', eventCommitted: true }]);
  });

  it("commits the event before the env-change step reads the rack's current env", async () => {
    witness.seen.length = 0;
    const res = await proxied('/apps/myapp/releases', {
      method: 'POST',
      headers: {
        authorization: cliAuth(stack.tokens.admin),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ env: 'NODE_ENV=staging\nPORT=3000' }).toString(),
    });
    expect(res.status).toBe(200);
    // The env reader's two reads, then the release itself: all after the event was durable.
    expect(witness.seen.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /apps/myapp/releases',
      'GET /apps/myapp/releases/RCURRENT',
      'POST /apps/myapp/releases',
    ]);
    expect(witness.seen.every((call) => call.eventCommitted)).toBe(true);
  });

  it('runs websocket upgrades through the very chain object the HTTP guard runs', () => {
    const listener = stack.gateway.app.get(RackUpgradeListener);
    expect((listener as unknown as { chain: AccessChain }).chain).toBe(stack.gateway.app.get(AccessChain));
  });

  it('refuses a websocket with the same decision code as a plain request, and files both under it', async () => {
    const viewer = { authorization: cliAuth(stack.tokens.viewer) };
    const http = await proxied('/apps/myapp/restart', { method: 'POST', headers: viewer });
    expect(http.status).toBe(403);
    const socket = await cliWebsocket(
      `${stack.proxyUrl.replace('http', 'ws')}/apps/myapp/processes/web/exec`,
      {
        ...viewer,
        Command: 'ls',
      },
    );
    // Told in-band, as the convox CLI expects: 101, the reason as an ERROR frame, close 4403.
    expect(socket).toMatchObject({ status: 101, closeCode: 4403 });
    expect(socket.text).toContain('permission denied: convox:process:exec');
    const rows = async (requestId: string) =>
      (
        await db.query<{ action: string; decision: string; rule: string; status: number | null }>(
          'SELECT action, decision, rule, status FROM audit_events WHERE request_id = $1',
          [requestId],
        )
      ).rows;
    const settled = async (requestId: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const found = await rows(requestId);
        if (found.length === 1 && found[0].status !== null) return found[0];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no settled event for ${requestId}`);
    };
    expect(await settled(http.headers.get('x-request-id') ?? '')).toEqual({
      action: 'convox:app:restart',
      decision: 'deny',
      rule: 'missing-permission',
      status: 403,
    });
    expect(await settled(socket.requestId)).toMatchObject({
      action: 'convox:process:exec',
      decision: 'deny',
      rule: 'missing-permission',
    });
    expect(
      witness.seen.filter((call) => call.path.includes('restart') || call.path.includes('exec')),
    ).toEqual([]);
  });
});
