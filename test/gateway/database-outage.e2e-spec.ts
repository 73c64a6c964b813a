import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import WebSocket from 'ws';
import { AuditChainService } from '../../src/audit/audit-chain.service';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { freePort } from '../harness/free-port';
import { LogCapture } from '../harness/log-capture';
import { startSeparatePostgres, type SeparatePostgres } from '../harness/separate-postgres';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';
import { cliAuth, RACK_PASSWORD } from '../proxy/proxy-stack';

interface LogLine {
  level: number;
  msg?: string;
  /** Present on the one access-log line each request gets. */
  res?: unknown;
}

/** Log lines at warn level or above (pino: 40 warn, 50 error, 60 fatal), other than the access log. */
function problemLines(logs: LogCapture, from: number): LogLine[] {
  return logs
    .text()
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.level >= 40 && line.res === undefined);
}

describe('PostgreSQL down and back: 503 with the reason, bounded logging, recovery without a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgw-outage-pg-'));
  const logs = new LogCapture();
  let port: number;
  let database: SeparatePostgres;
  let rack: MockRack;
  let gateway: TestGateway;
  let token: string;

  const start = () => startSeparatePostgres(dataDir, port);
  const admin = () => fetch(`${gateway.url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
  const proxied = () =>
    fetch(`${gateway.url}/api/v1/rack-proxy/apps`, { headers: { authorization: cliAuth(token) } });

  /**
   * A websocket refusal as the client sees it: the HTTP status of a refused upgrade, or — for refusals
   * reported in-band, as a rack does — 101 and the `ERROR:` text frame.
   */
  const websocketRefusal = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const ws = new WebSocket(
        `ws://127.0.0.1:${new URL(gateway.url).port}/api/v1/rack-proxy/apps/app1/logs`,
        {
          headers: { authorization: cliAuth(token) },
        },
      );
      ws.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      ws.on('message', (data: Buffer) => {
        ws.terminate();
        resolve({ status: 101, text: data.toString() });
      });
      ws.on('error', reject);
    });

  beforeAll(async () => {
    port = await freePort();
    database = await start();
    rack = await startMockRack({ port: 0, password: RACK_PASSWORD });
    gateway = await startTestGateway(
      {
        DATABASE_URL: database.databaseUrl,
        RACK_URL: rack.url,
        RACK_TOKEN: RACK_PASSWORD,
        ADMIN_USERS: 'admin@example.com',
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
        LOG_LEVEL: 'info',
      },
      { logDestination: logs },
    );
    const user = await gateway.app.get(UsersService).getByEmail('admin@example.com');
    const grantor = { email: user.email, permissions: permissionsForRoles(user.roles) };
    token = (await gateway.app.get(ApiTokensService).create(user, { name: 'ops', role: 'admin' }, grantor))
      .token;
  });
  afterAll(async () => {
    await gateway?.close();
    await rack?.close();
    await database?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers normally while the database is up', async () => {
    expect((await admin()).status).toBe(200);
    expect((await proxied()).status).toBe(200);
  });

  it('answers 503 with the reason while it is down, and logs the outage once, not per request', async () => {
    const from = logs.text().length;
    await database.stop();
    for (let i = 0; i < 40; i++) {
      const adminAnswer = await admin();
      expect(adminAnswer.status).toBe(503);
      expect(adminAnswer.headers.get('retry-after')).toBe('5');
      expect(await adminAnswer.json()).toMatchObject({
        error: 'database_unavailable',
        message: 'database unavailable',
      });
      const proxyAnswer = await proxied();
      expect(proxyAnswer.status).toBe(503);
      expect(await proxyAnswer.json()).toEqual({ error: 'database unavailable' });
    }
    const refusal = await websocketRefusal();
    expect(refusal.status === 503 || refusal.status === 101).toBe(true);
    expect(refusal.text).toMatch(/database unavailable/);
    const problems = problemLines(logs, from);
    expect(problems.filter((line) => /database unavailable/.test(line.msg ?? ''))).toHaveLength(1);
    // 80 refused requests: besides the one report, only the pool's notices about the idle connections the
    // shutdown closed (bounded by the pool size), never a line per request.
    expect(problems.length).toBeLessThanOrEqual(21);
    expect(logs.text().slice(from)).not.toMatch(/internal error|"stack"/);
  });

  it('serves again once the database is back, without restarting the gateway', async () => {
    database = await start();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await admin()).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    expect((await proxied()).status).toBe(200);
  });

  it('writes the outcomes the outage interrupted: no event is left open, the chain verifies', async () => {
    const deadline = Date.now() + 10_000;
    let report = await gateway.app.get(AuditChainService).verify();
    while (report.open.count > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      report = await gateway.app.get(AuditChainService).verify();
    }
    expect(report).toMatchObject({ ok: true, open: { count: 0 } });
  });
});
