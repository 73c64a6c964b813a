import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AUDIT_EVENT_COLUMNS } from '../../src/audit/audit-event-view';
import { auditWhere } from '../../src/audit/audit-query-sql';
import type { ListAuditEventsQuery } from '../../src/audit/dto/audit-query.dto';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/run-migrations';

export interface AuditBenchmarkRow {
  benchmark: string;
  events: number;
  /** Median of the timed runs, first page of 100 rows, in milliseconds. */
  medianMs: number;
  maxMs: number;
}

const EVENTS = 1_000_000;
const RUNS = 7;

/** The filters people actually use, each timed for its first page (newest first, 100 rows). */
const QUERIES: [string, ListAuditEventsQuery][] = [
  ['newest 100, no filter', {}],
  ['by actor', { actor: 'user17@example.com' }],
  ['by action prefix (convox:env:)', { action: 'convox:env:' }],
  ['by app', { app: 'app-42' }],
  ['denials only', { decision: 'deny' }],
  ['5xx only', { statusClass: '5xx' }],
  [
    'last 24 hours by actor',
    { actor: 'user3@example.com', from: new Date(Date.now() - 86400000).toISOString() },
  ],
  ['free text on path', { q: 'releases/R9' }],
  ['resource + decision', { resourceType: 'app', resource: 'app-7', decision: 'deny' }],
];

/**
 * Seeds 1,000,000 audit events with generate_series (spread over 400 days, 50 actors, 200 apps, ~2 % denials)
 * into a fresh database and times the first page of the common queries. Uses `databaseUrl` when given,
 * otherwise an embedded PostgreSQL in a temporary folder.
 */
export async function runAuditQueryBenchmark(databaseUrl?: string): Promise<AuditBenchmarkRow[]> {
  let stop: (() => Promise<void>) | undefined;
  let url = databaseUrl;
  const dir = mkdtempSync(join(tmpdir(), 'rgw-audit-bench-'));
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: dir,
      port: 54000 + Math.floor(Math.random() * 1000),
      persistent: false,
    });
    url = server.databaseUrl;
    stop = server.stop;
  }
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    await dataSource.query('TRUNCATE audit_events, audit_chain_checkpoints');
    await seed(dataSource);
    const rows: AuditBenchmarkRow[] = [];
    for (const [name, query] of QUERIES) {
      const where = auditWhere(query);
      const sql = `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events ${where.sql} ORDER BY chain_index DESC LIMIT 101`;
      await dataSource.query(sql, where.params); // warm the cache once
      const times: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const started = process.hrtime.bigint();
        await dataSource.query(sql, where.params);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      rows.push({
        benchmark: `audit first page: ${name}`,
        events: EVENTS,
        medianMs: round(times[RUNS >> 1]),
        maxMs: round(times[RUNS - 1]),
      });
    }
    return rows;
  } finally {
    await dataSource.destroy();
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(dataSource: DataSource): Promise<void> {
  await dataSource.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_guard`);
  await dataSource.query(`
    INSERT INTO audit_events (chain_index, id, occurred_at, request_id, actor_type, actor_email, channel, client_ip,
      user_agent, rack, action, resource_type, resource_name, app, method, path, decision, rule, details,
      chain_value, status, result, latency_ms, completed_at, last_at)
    SELECT g, gen_random_uuid(), t, md5(g::text), 'user', 'user' || (g % 50) || '@example.com', 'cli', '10.0.0.' || (g % 200),
      'convox/3.19', 'production',
      (ARRAY['convox:app:read','convox:process:list','convox:env:set','convox:release:promote','convox:log:read','auth:login'])[1 + g % 6],
      'app', 'app-' || (g % 200), 'app-' || (g % 200), CASE WHEN g % 6 IN (2, 3) THEN 'POST' ELSE 'GET' END,
      '/api/v1/rack-proxy/apps/app-' || (g % 200) || '/releases/R' || g,
      CASE WHEN g % 50 = 0 THEN 'deny' ELSE 'allow' END, 'role:deployer', '{}', '\\x00',
      CASE WHEN g % 50 = 0 THEN 403 WHEN g % 997 = 0 THEN 502 ELSE 200 END,
      CASE WHEN g % 50 = 0 THEN 'denied' WHEN g % 997 = 0 THEN 'error' ELSE 'success' END, g % 300, t, t
    FROM (SELECT g, now() - ((${EVENTS} - g) * interval '34560 milliseconds') AS t
          FROM generate_series(0, ${EVENTS - 1}) AS g) AS s`);
  await dataSource.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_guard`);
  await dataSource.query('ANALYZE audit_events');
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
