import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { chainValueOf, outcomeMacOf, type ChainedPart, type OutcomePart } from '../../src/audit/audit-chain';
import { microsToIso, nowMicros } from '../../src/audit/audit-time';
import {
  appendAtHeadStatement,
  outcomesStatement,
  type ChainedRow,
  type OutcomeUpdate,
} from '../../src/audit/one-trip-statements';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/run-migrations';
import { cpuMsOf } from '../cpu-accounting';

/** PostgreSQL backend CPU per audited request, for each way of writing the same events. */
export interface AuditWriteCost {
  requests: number;
  rounds: number;
  /** Median over the rounds, ms of the backend's CPU (user + system) per audited request. */
  variants: { name: string; msPerRequest: number }[];
}

const KEY = 'bench-audit-write-cost';
const LOCK = 4242;

/** One `GET /apps` event as the gateway appends it for an API token. */
function partAt(chainIndex: number): ChainedPart {
  return {
    chainIndex: String(chainIndex),
    id: randomUUID(),
    occurredAt: microsToIso(nowMicros()),
    requestId: randomUUID(),
    actorType: 'token',
    actorEmail: 'ci@example.com',
    actorUserId: randomUUID(),
    tokenId: randomUUID(),
    tokenName: 'github-deploy',
    channel: 'rack-proxy',
    clientIp: '127.0.0.1',
    userAgent: 'convox/3.19.0',
    rack: 'rack',
    action: 'convox:app:list',
    resourceType: 'app',
    resourceName: '',
    app: '',
    method: 'GET',
    path: '/apps',
    decision: 'allow',
    rule: 'convox:app:list',
    details: '{"query":{}}',
  };
}

function outcomeOf(row: ChainedRow): OutcomeUpdate {
  const now = microsToIso(nowMicros());
  const part: OutcomePart = {
    status: 200,
    result: 'success',
    latencyMs: 3,
    bytesIn: '0',
    bytesOut: '812',
    outcomeDetails: null,
    completedAt: now,
    eventCount: 1,
    lastAt: now,
  };
  return {
    chainIndex: row.part.chainIndex,
    eventId: row.part.id,
    part,
    mac: outcomeMacOf(KEY, row.chainValue, part),
  };
}

type Shape = (updates: OutcomeUpdate[]) => string;
/** What the gateway sends: every outcome of a batch in one UPDATE. */
const oneStatement: Shape = (updates) => outcomesStatement(updates, false);
/** The shape before it: one UPDATE per outcome in the same transaction. */
const statementEach: Shape = (updates) =>
  updates.map((update) => outcomesStatement([update], false)).join(';\n');

/**
 * Appends `requests` events in transactions of `batch` (as the gateway's one-trip path does: chain lock,
 * INSERT at the expected head, the previous batch's outcomes riding along) and returns the backend's CPU
 * per event. `batch` 1 is the shape of one client; 16 about that of 32 clients.
 */
async function cpuPerRequest(
  databaseUrl: string,
  requests: number,
  batch: number,
  shape: Shape,
): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('TRUNCATE audit_events, audit_chain_checkpoints');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0].pid;
    let previous: Buffer | null = null;
    let next = 0;
    let riding: OutcomeUpdate[] = [];
    const started = cpuMsOf(backend);
    for (let done = 0; done < requests; done += batch) {
      const base = next === 0 ? undefined : String(next - 1);
      const chained: ChainedRow[] = [];
      for (let i = 0; i < batch; i += 1) {
        const part = partAt(next);
        next += 1;
        previous = chainValueOf(KEY, previous, part);
        chained.push({ part, chainValue: previous });
      }
      const statements = [appendAtHeadStatement(LOCK, base, chained)];
      if (riding.length > 0) statements.push(shape(riding));
      await client.query(statements.join(';\n'));
      riding = chained.map(outcomeOf);
    }
    return (cpuMsOf(backend) - started) / requests;
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The audit write's PostgreSQL cost, taken apart: the gateway's statements with one client and with a
 * batch, the shape they replaced, and the same batch without the secondary indexes the audit queries use.
 * Runs in a database of its own on the benchmark's server (created, migrated, dropped), variants interleaved
 * round by round so a busy moment weighs on all of them.
 */
export async function measureAuditWriteCost(
  serverUrl: string,
  requests = 3200,
  rounds = 3,
): Promise<AuditWriteCost> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `bench_write_cost_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
    await runMigrations(dataSource);
    const indexes = (await dataSource.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_events'
         AND indexname NOT IN ('audit_events_pkey', 'audit_events_id_key')`,
    )) as { indexname: string; indexdef: string }[];
    const samples: Record<string, number[]> = {};
    const sample = async (variant: string, measure: () => Promise<number>) =>
      (samples[variant] ??= []).push(await measure());
    for (let round = 0; round < rounds; round += 1) {
      await sample('one client: one event per transaction, its outcome riding on the next', () =>
        cpuPerRequest(databaseUrl, requests / 4, 1, oneStatement),
      );
      await sample('batch of 16 events, their outcomes in one UPDATE (the gateway)', () =>
        cpuPerRequest(databaseUrl, requests, 16, oneStatement),
      );
      await sample('batch of 16 events, one UPDATE per outcome (before)', () =>
        cpuPerRequest(databaseUrl, requests, 16, statementEach),
      );
      for (const { indexname } of indexes) await dataSource.query(`DROP INDEX ${indexname}`);
      await sample(`batch of 16, without the ${indexes.length} secondary indexes`, () =>
        cpuPerRequest(databaseUrl, requests, 16, oneStatement),
      );
      for (const { indexdef } of indexes) await dataSource.query(indexdef);
    }
    await dataSource.destroy();
    return {
      requests,
      rounds,
      variants: Object.entries(samples).map(([variant, values]) => ({
        name: variant,
        msPerRequest: median(values),
      })),
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
