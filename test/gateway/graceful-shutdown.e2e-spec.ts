import { request, type ClientRequest } from 'node:http';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../../src/audit/audit-chain-verifier';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { type ChildGateway, sharedGatewaySecrets, startChildGateway } from '../harness/child-gateway';
import { openLiveWebsocket } from '../proxy/live-websocket';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';

const SECRETS = sharedGatewaySecrets();
const GRACE_SECONDS = 3;
const UPLOAD_KEY = 'tmp/drain-upload.tgz';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An upload whose client sends half the body, then waits: a request in flight for as long as the test likes. */
function slowUpload(url: string, authorization: string, half: Buffer) {
  let req!: ClientRequest;
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/octet-stream',
          'content-length': half.length * 2,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
  });
  req.write(half);
  return { answered, finish: () => req.end(half) };
}

/**
 * SIGTERM to a real gateway process: it stops accepting, lets the request in flight finish, ends the live
 * websocket after the grace period with a close frame that says why, records that end in the audit, and
 * exits 0 with no audit event left open.
 */
describe('a gateway process drains on SIGTERM', () => {
  let stack: ProxyStack;
  let second: ChildGateway;
  let db: Client;

  beforeAll(async () => {
    stack = await startProxyStack({ ...SECRETS, LOG_LEVEL: 'silent' });
    second = await startChildGateway(stack.gateway.databaseUrl, {
      ...SECRETS,
      RACK_URL: stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
      SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
    });
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await second?.stop();
    await stack?.close();
  });

  it('finishes the upload in flight, closes the logs stream with a reason, audits both and exits 0', async () => {
    const auth = cliAuth(stack.tokens.ops);
    const socket = openLiveWebsocket(
      `${second.url.replace(/^http/, 'ws')}/api/v1/rack-proxy/apps/myapp/logs`,
      {
        authorization: auth,
        Since: '1h',
        Prefix: 'true',
      },
    );
    await socket.waitForText('[pod/');
    const upload = slowUpload(
      `${second.url}/api/v1/rack-proxy/apps/myapp/objects/${UPLOAD_KEY}`,
      cliAuth(stack.tokens.deployer),
      Buffer.alloc(64 * 1024, 0x61),
    );
    // In flight: the rack has the request and is waiting for the rest of the body.
    for (let i = 0; !stack.rack.requests.some((r) => r.path.endsWith(UPLOAD_KEY)); i++) {
      if (i > 200) throw new Error('the upload never reached the rack');
      await pause(25);
    }

    const exited = new Promise<number | null>((resolve) =>
      second.child.once('exit', (code) => resolve(code)),
    );
    const signalled = Date.now();
    second.child.kill('SIGTERM');
    // No new connections once draining.
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      refused = await fetch(`${second.url}/healthz`).then(
        () => false,
        () => true,
      );
      if (!refused) await pause(25);
    }
    expect(refused).toBe(true);

    upload.finish();
    const answer = await upload.answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ Url: `object://myapp/${UPLOAD_KEY}` });
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);

    const closed = await socket.closed;
    expect({ code: closed.code, reason: closed.reason }).toEqual({
      code: 1001,
      reason: 'gateway shutting down',
    });
    expect(closed.at - signalled).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 - 100);
    expect(socket.text()).toContain('ERROR: gateway shutting down\n');
    expect(await exited).toBe(0);

    // Written before the process exited: no polling.
    const { rows } = await db.query<{ result: string; outcome_details: string | null }>(
      'SELECT result, outcome_details FROM audit_events WHERE request_id = $1',
      [socket.requestId()],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].result).toBe('success');
    expect(JSON.parse(rows[0].outcome_details ?? '{}')).toMatchObject({
      endedBy: 'system',
      endCause: 'gateway_shutdown',
      closeCode: 1001,
    });
    const dataSource = new DataSource(dataSourceOptions(stack.gateway.databaseUrl));
    await dataSource.initialize();
    try {
      const report = await verifyAuditChain(dataSource, SECRETS.AUDIT_HMAC_SECRET);
      expect({ ok: report.ok, open: report.open.count, problem: report.problem }).toEqual({
        ok: true,
        open: 0,
        problem: null,
      });
    } finally {
      await dataSource.destroy();
    }
  });
});
