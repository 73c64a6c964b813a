import { Writable } from 'node:stream';
import { AuditQueryService } from '../../src/audit/audit-query.service';
import { AuditTestApp, DEPLOYER, eventually, startAuditTestApp, upstream } from './audit-test-app';

describe('admin audit interceptor and export', () => {
  let t: AuditTestApp;

  /**
   * Inserts `count` completed read events by `actor` straight into the table (outside the chain: these
   * tests read events back, they do not verify them), newest last; returns their chain indices, newest first.
   * Each test inserts its own, so it passes alone (`-t`) as well as after the others.
   */
  const insertReads = async (actor: string, count: number, pathPrefix: string): Promise<string[]> => {
    const { rows } = await t.db.query<{ chain_index: string }>(
      `INSERT INTO audit_events (chain_index, id, occurred_at, actor_type, actor_email, action, decision, path,
         chain_value, last_at, status, result)
       SELECT base.head + g, gen_random_uuid(), now() - (($2::int - g) * interval '1 second'), 'user', $1,
         'convox:app:read', 'allow', $3::text || g, '\\x00', now(), 200, 'success'
       FROM (SELECT coalesce(max(chain_index), 0) + 1000 AS head FROM audit_events) AS base,
         generate_series(1, $2::int) AS g
       RETURNING chain_index::text`,
      [actor, count, pathPrefix],
    );
    return rows.map((row) => row.chain_index).reverse();
  };

  beforeAll(async () => {
    t = await startAuditTestApp({ AUDIT_STDOUT: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records a state-changing admin call under its declared permission, with the outcome', async () => {
    const res = await fetch(`${t.url}/api/v1/widgets/blue`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-admin' },
      body: JSON.stringify({ color: 'red', password: 'hunter2-canary' }),
    });
    expect(res.status).toBe(200);
    const row = await eventually(async () => {
      const { rows } = await t.db.query("SELECT * FROM audit_events WHERE request_id = 'req-admin'");
      expect(rows[0]?.result).toBe('success');
      return rows[0];
    });
    expect(row).toMatchObject({
      action: 'gateway:user:update',
      actor_email: DEPLOYER.email,
      resource_type: 'name',
      resource_name: 'blue',
      status: 200,
      method: 'PATCH',
    });
    expect(JSON.stringify(row)).not.toContain('hunter2-canary');
  });

  it('refuses the admin call with 503 before the handler runs when the audit log is down', async () => {
    await t.db.query('ALTER TABLE audit_events RENAME TO audit_events_away');
    try {
      const calls = upstream.calls;
      const res = await fetch(`${t.url}/api/v1/widgets/green`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'audit_unavailable' });
      expect(upstream.calls).toBe(calls);
    } finally {
      await t.db.query('ALTER TABLE audit_events_away RENAME TO audit_events');
    }
  });

  it('streams an export of 100,000 events with flat memory and backpressure', async () => {
    await insertReads('bulk@example.com', 100000, '/api/v1/rack-proxy/apps/web/');
    let lines = 0;
    let bytes = 0;
    let peakBuffered = 0;
    // A slow consumer with a small buffer: the exporter must wait for drain instead of piling up rows.
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        lines += chunk.toString('utf8').split('\n').length - 1;
        peakBuffered = Math.max(peakBuffered, sink.writableLength);
        if (lines % 50 === 0) setTimeout(done, 1);
        else done();
      },
    });
    const count = await t.app.get(AuditQueryService).export({ actor: 'bulk@example.com' }, 'jsonl', sink);
    expect(count).toBe(100000);
    expect(lines).toBe(100000);
    expect(bytes).toBeGreaterThan(100000 * 500);
    // The whole export is > 50 MB of JSON, but the exporter never had more than the sink's buffer plus
    // one line waiting: it stopped at every full buffer and waited for drain (rows: one batch of 1000).
    expect(peakBuffered).toBeLessThan(16 * 1024 + 4096);
  }, 180_000); // inserting 100,000 chained events takes most of a minute on a busy 2-core machine

  it('pages newest first with a keyset cursor', async () => {
    const newestFirst = await insertReads('pager@example.com', 5, '/api/v1/rack-proxy/apps/paged/');
    const svc = t.app.get(AuditQueryService);
    const first = await svc.list({ actor: 'pager@example.com', limit: 3 });
    expect(first.events.map((e) => e.chainIndex)).toEqual(newestFirst.slice(0, 3));
    const second = await svc.list({ actor: 'pager@example.com', limit: 3, cursor: first.nextCursor! });
    expect(second.events.map((e) => e.chainIndex)).toEqual(newestFirst.slice(3));
    const filtered = await svc.list({ q: '/paged/4', limit: 5 });
    expect(filtered.events.map((e) => e.path)).toEqual(['/api/v1/rack-proxy/apps/paged/4']);
  });
});
