import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { AuditChainService } from '../../src/audit/audit-chain.service';
import { AuditRetentionService } from '../../src/audit/audit-retention.service';
import { AuditService } from '../../src/audit/audit.service';
import { WebsocketAuditService } from '../../src/audit/websocket-audit.service';
import type { AuthorizedConvoxRoute } from '../../src/rbac/convox-authorizer.service';
import { AuditTestApp, DEPLOYER, eventually, startAuditTestApp, upstream } from './audit-test-app';

const CANARY = 'CanaryQ9zX7wV5uT3';

describe('audit trail (proxy interceptor, request finisher, chain)', () => {
  let t: AuditTestApp;
  let stdout: string[];
  let writeSpy: jest.SpyInstance;

  beforeAll(async () => {
    t = await startAuditTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    stdout = [];
    const original = process.stdout.write.bind(process.stdout);
    writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation(((
      chunk: unknown,
      ...rest: unknown[]
    ) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"ts"')) {
        stdout.push(chunk);
        return true;
      }
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write);
  });
  afterEach(() => writeSpy.mockRestore());

  const rowsFor = async (requestId: string) =>
    (await t.db.query('SELECT * FROM audit_events WHERE request_id = $1 ORDER BY chain_index', [requestId]))
      .rows;

  it('records an allowed proxied read before it runs and completes it with status, latency and bytes', async () => {
    const res = await fetch(`${t.url}/api/v1/rack-proxy/apps/web`, {
      headers: {
        'x-request-id': 'req-allowed',
        'x-forwarded-for': '6.6.6.6',
        'x-user-email': 'forged@evil.test',
      },
    });
    expect(res.status).toBe(200);
    const [row] = await eventually(async () => {
      const rows = await rowsFor('req-allowed');
      expect(rows[0]?.result).toBe('success');
      return rows;
    });
    expect(row).toMatchObject({
      action: 'convox:app:read',
      decision: 'allow',
      actor_email: DEPLOYER.email,
      resource_type: 'app',
      resource_name: 'web',
      app: 'web',
      status: 200,
      rack: 'test-rack',
      client_ip: '127.0.0.1',
    });
    expect(Number(row.bytes_out)).toBe(JSON.stringify({ name: 'web' }).length);
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
    const line = JSON.parse(stdout.find((l) => l.includes('req-allowed'))!);
    expect(line).toMatchObject({
      user_email: DEPLOYER.email,
      status: 200,
      rbac_decision: 'allow',
      rack: 'test-rack',
    });
  });

  it('records a denied proxied request in the database with the rule and reason', async () => {
    const calls = upstream.calls;
    const res = await fetch(`${t.url}/api/v1/rack-proxy/apps/web/releases`, {
      method: 'POST',
      headers: { 'x-request-id': 'req-denied', 'x-test-deny': '1' },
    });
    expect(res.status).toBe(403);
    expect(upstream.calls).toBe(calls);
    // The outcome is written when the response closes, a moment after the client has it.
    const [row] = await eventually(async () => {
      const rows = await rowsFor('req-denied');
      expect(rows).toHaveLength(1);
      expect(rows[0].result).not.toBe('open');
      return rows;
    });
    expect(row).toMatchObject({
      decision: 'deny',
      result: 'denied',
      status: 403,
      rule: 'missing-permission',
    });
    expect(JSON.parse(row.outcome_details)).toEqual({ error: 'permission denied: convox:env:set' });
    expect(stdout.some((l) => l.includes('"rbac_decision":"deny"') && l.includes('req-denied'))).toBe(true);
  });

  it('records an upstream failure as an error outcome', async () => {
    const res = await fetch(`${t.url}/api/v1/rack-proxy/apps/web/releases`, {
      method: 'POST',
      headers: { 'x-request-id': 'req-upstream', 'x-test-upstream-down': '1' },
    });
    expect(res.status).toBe(502);
    const rows = await eventually(async () => {
      const found = await rowsFor('req-upstream');
      expect(found[0]?.result).toBe('error');
      return found;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'convox:env:set', status: 502, decision: 'allow' });
  });

  it('completes the event as aborted when the client disconnects mid-response', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${t.url}/api/v1/rack-proxy/apps/web/releases`, {
        method: 'POST',
        headers: { 'x-request-id': 'req-abort', 'x-test-slow': '1', 'content-type': 'text/plain' },
      });
      req.on('response', (res: IncomingMessage) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => resolve());
      req.end('body-bytes');
    });
    const [row] = await eventually(async () => {
      const rows = await rowsFor('req-abort');
      expect(rows[0]?.result).toBe('aborted');
      return rows;
    });
    expect(JSON.parse(row.outcome_details)).toMatchObject({ aborted: true });
    expect(Number(row.bytes_in)).toBe('body-bytes'.length);
  });

  it('records a websocket session at open and its exit code at close', async () => {
    const ws = t.app.get(WebsocketAuditService);
    const req = {
      method: 'GET',
      url: '/api/v1/rack-proxy/apps/web/processes/p-1/exec',
      headers: { 'user-agent': 'convox-cli', 'x-request-id': 'req-ws' },
      socket: { remoteAddress: '127.0.0.1' },
    } as unknown as IncomingMessage;
    const route = {
      route: { resource: { type: 'process', param: 'pid' } },
      params: { app: 'web', pid: 'p-1' },
      permission: 'convox:process:exec',
    } as unknown as AuthorizedConvoxRoute;
    const session = await ws.open(req, DEPLOYER, route, { command: `env DB_PASSWORD=${CANARY} bin/migrate` });
    let [row] = await rowsFor('req-ws');
    expect(row).toMatchObject({
      action: 'convox:process:exec',
      result: 'open',
      resource_name: 'p-1',
      app: 'web',
    });
    await session.close({ exitCode: 3, bytesIn: 10, bytesOut: 20 });
    [row] = await rowsFor('req-ws');
    expect(row).toMatchObject({ result: 'success', status: 101 });
    expect(JSON.parse(row.outcome_details)).toEqual({ exitCode: 3 });
    expect(row.details).not.toContain(CANARY);
    expect(JSON.parse(row.details).command).toContain('bin/migrate');
  });

  it('refuses a proxied write with 503 and never reaches the rack when the audit log cannot be written', async () => {
    await t.db.query(`CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit database unavailable'; END $$`);
    await t.db.query(
      'CREATE TRIGGER audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_down()',
    );
    try {
      const calls = upstream.calls;
      const res = await fetch(`${t.url}/api/v1/rack-proxy/apps/web/releases`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'audit log unavailable' });
      expect(upstream.calls).toBe(calls);
    } finally {
      await t.db.query('DROP TRIGGER audit_down ON audit_events');
      await t.db.query('DROP FUNCTION audit_down()');
    }
  });

  it('keeps a canary sent in every position out of the rows and stdout', async () => {
    const res = await fetch(`${t.url}/api/v1/rack-proxy/apps/web?token=${CANARY}&password=${CANARY}`, {
      headers: {
        authorization: `Bearer ${CANARY}`,
        cookie: `rgw_session=${CANARY}`,
        'x-request-id': 'req-canary',
        'user-agent': `curl Bearer ${CANARY}`,
      },
    });
    expect(res.status).toBe(200);
    const audit = t.app.get(AuditService);
    await audit.record({
      action: 'convox:env:set',
      decision: 'allow',
      principal: DEPLOYER,
      status: 200,
      details: {
        password: CANARY,
        form: `SECRET=${CANARY}`,
        nested: { apiKey: CANARY },
        envChanged: ['SECRET'],
      },
    });
    await eventually(async () => expect((await rowsFor('req-canary'))[0]?.result).toBe('success'));
    const dump = JSON.stringify((await t.db.query('SELECT * FROM audit_events')).rows);
    expect(dump).not.toContain(CANARY);
    expect(stdout.join('')).not.toContain(CANARY);
    expect(dump).toContain('SECRET');
  });

  it('folds repeated identical reads within the window into one event with a count', async () => {
    const audit = t.app.get(AuditService);
    const input = {
      action: 'gateway:audit:read',
      decision: 'allow' as const,
      principal: DEPLOYER,
      status: 200,
    };
    const first = await audit.record(input);
    const second = await audit.record(input);
    const third = await audit.record({ ...input, status: 403, decision: 'deny' as const });
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    const { rows } = await t.db.query('SELECT event_count FROM audit_events WHERE id = $1', [first]);
    expect(rows[0].event_count).toBe(2);
  });

  describe('verification', () => {
    const verify = () => t.app.get(AuditChainService).verify();
    const tamper = async (sql: string, params: unknown[] = []) => {
      await t.db.query('SET session_replication_role = replica');
      try {
        await t.db.query(sql, params);
      } finally {
        await t.db.query('SET session_replication_role = DEFAULT');
      }
    };
    // Every test tampers with events it recorded itself (chain indices, oldest first), so it passes run
    // alone with -t as well as after any other test in this file.
    let seeded: string[];
    let round = 0;
    const SEEDS = [
      { action: 'auth:login', decision: 'allow', status: 200 },
      { action: 'convox:app:read', decision: 'deny', status: 403 },
      { action: 'convox:app:restart', decision: 'allow', status: 200 },
      { action: 'convox:env:read', decision: 'allow', status: 404 },
      { action: 'convox:process:list', decision: 'allow', status: 200 },
      { action: 'auth:logout', decision: 'allow', status: 200 },
    ] as const;
    beforeEach(async () => {
      const audit = t.app.get(AuditService);
      round += 1;
      seeded = [];
      for (const [index, seed] of SEEDS.entries()) {
        // A resource name of its own per event: identical events would be folded into one row.
        const id = await audit.record({
          ...seed,
          principal: DEPLOYER,
          resourceName: `seed-${round}-${index}`,
        });
        const { rows } = await t.db.query<{ chain_index: string }>(
          'SELECT chain_index::text FROM audit_events WHERE id = $1',
          [id],
        );
        seeded.push(rows[0].chain_index);
      }
    });

    it('passes on an untouched chain and counts open events', async () => {
      const report = await verify();
      expect(report.problem).toBeNull();
      expect(report.ok).toBe(true);
      expect(report.checked).toBeGreaterThanOrEqual(SEEDS.length);
    });

    it('the database itself refuses edits and deletes', async () => {
      await expect(
        t.db.query("UPDATE audit_events SET actor_email = 'x' WHERE chain_index = $1", [seeded[0]]),
      ).rejects.toThrow(/only the outcome/);
      await expect(
        t.db.query('DELETE FROM audit_events WHERE chain_index = $1', [seeded[0]]),
      ).rejects.toThrow(/append-only/);
    });

    it('names the edited row', async () => {
      const index = seeded[2];
      await tamper("UPDATE audit_events SET actor_email = 'someone@else.test' WHERE chain_index = $1", [
        index,
      ]);
      const report = await verify();
      expect(report.problem).toMatchObject({ kind: 'edited', chainIndex: index });
      await tamper('UPDATE audit_events SET actor_email = $1 WHERE chain_index = $2', [
        DEPLOYER.email,
        index,
      ]);
      expect((await verify()).ok).toBe(true);
    });

    it('names an edited outcome', async () => {
      const denied = seeded[1];
      await tamper('UPDATE audit_events SET status = 200 WHERE chain_index = $1', [denied]);
      const report = await verify();
      expect(report.problem).toMatchObject({ kind: 'outcome-edited', chainIndex: denied });
      await tamper('UPDATE audit_events SET status = 403 WHERE chain_index = $1', [denied]);
      expect((await verify()).ok).toBe(true);
    });

    it('names a deleted row', async () => {
      const index = seeded[3];
      await t.db.query('DROP TABLE IF EXISTS saved_event');
      await t.db.query('CREATE TEMP TABLE saved_event AS SELECT * FROM audit_events WHERE chain_index = $1', [
        index,
      ]);
      await tamper('DELETE FROM audit_events WHERE chain_index = $1', [index]);
      expect((await verify()).problem).toMatchObject({ kind: 'deleted', chainIndex: index });
      await tamper('INSERT INTO audit_events SELECT * FROM saved_event');
      expect((await verify()).ok).toBe(true);
    });

    it('names an inserted row', async () => {
      const { rows } = await t.db.query('SELECT max(chain_index)::text AS head FROM audit_events');
      const head = rows[0].head as string;
      const at = seeded[3];
      // Make room at `at` by shifting it and everything after it up by one, then put a forged row there.
      await tamper('UPDATE audit_events SET chain_index = chain_index + 1000000 WHERE chain_index >= $1', [
        at,
      ]);
      await tamper(
        'UPDATE audit_events SET chain_index = chain_index - 1000000 + 1 WHERE chain_index >= 1000000',
      );
      await tamper(
        `INSERT INTO audit_events (chain_index, id, occurred_at, actor_type, action, decision, chain_value, last_at)
         VALUES ($1, gen_random_uuid(), now(), 'user', 'convox:app:read', 'allow', $2, now())`,
        [at, Buffer.alloc(32, 7)],
      );
      expect((await verify()).problem).toMatchObject({ kind: 'inserted', chainIndex: at });
      await tamper('DELETE FROM audit_events WHERE chain_index = $1', [at]);
      await tamper('UPDATE audit_events SET chain_index = chain_index + 1000000 - 1 WHERE chain_index > $1', [
        at,
      ]);
      await tamper(
        'UPDATE audit_events SET chain_index = chain_index - 1000000 WHERE chain_index >= 1000000',
      );
      const after = await verify();
      expect(after.ok).toBe(true);
      expect(after.head?.chainIndex).toBe(head);
    });

    it('still verifies after retention prunes old events behind a checkpoint', async () => {
      const audit = t.app.get(AuditService);
      await audit.record({ action: 'auth:login', decision: 'allow', principal: DEPLOYER, status: 200 });
      const pruned = await t.app.get(AuditRetentionService).prune(new Date(Date.now() + 60_000));
      expect(pruned).toBeGreaterThanOrEqual(SEEDS.length);
      const report = await verify();
      expect(report.problem).toBeNull();
      expect(report.startedAfter).not.toBeNull();
      const { rows } = await t.db.query(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'gateway:audit:prune'",
      );
      expect(rows[0].n).toBe(1);
    });
  });
});
