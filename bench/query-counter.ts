import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';

/** Queries by statement and table (`SELECT api_tokens`, `COMMIT` …) since the last reset. */
export type QueryCounts = Record<string, number>;

function statementOf(sql: string): string {
  // The audit's one-trip append (src/audit/one-trip-statements.ts) is one text of several statements.
  if (sql.startsWith('SELECT pg_advisory_xact_lock') && sql.includes('INSERT INTO audit_events'))
    return sql.includes('UPDATE audit_events') ? 'audit append + riding outcomes' : 'audit append';
  const kind = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?/i.exec(sql)?.[1];
  return table ? `${kind} ${table}` : kind;
}

/**
 * Counts every query the process sends through `pg` (TypeORM's pool and the notification bus alike), so
 * the benchmark can report queries per proxied request. Installed only by the benchmark's gateway child.
 */
export function countQueriesOverIpc(): void {
  const counts: QueryCounts = {};
  const millis: QueryCounts = {};
  // Each audit append's wait, since the benchmark last asked: every proxied request waits for one.
  let appendWaits: number[] = [];
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    const sql = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (typeof sql !== 'string') return original.apply(this, args);
    const key = statementOf(sql);
    counts[key] = (counts[key] ?? 0) + 1;
    // How long the caller waited for the answer (the pool calls back; TypeORM awaits a promise).
    const started = process.hrtime.bigint();
    const done = () => {
      const waited = Number(process.hrtime.bigint() - started) / 1e6;
      millis[key] = (millis[key] ?? 0) + waited;
      if (key.startsWith('audit append') && appendWaits.length < 1_000_000) appendWaits.push(waited);
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...results: unknown[]) => unknown;
      args[last] = (...results: unknown[]) => {
        done();
        return callback(...results);
      };
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  process.on('message', (message: unknown) => {
    if (message === 'query-counts')
      process.send?.({ queryCounts: { ...counts }, queryMillis: { ...millis } });
    if (message === 'append-waits') {
      process.send?.({ appendWaits });
      appendWaits = [];
    }
  });
}

/** Asks a child that called countQueriesOverIpc for its counts so far. */
export function queryCountsOf(child: ChildProcess): Promise<QueryCounts> {
  return queryStatsOf(child).then((stats) => stats.counts);
}

/** Counts and the ms waited for answers, by statement, so far. */
export function queryStatsOf(child: ChildProcess): Promise<{ counts: QueryCounts; millis: QueryCounts }> {
  return new Promise((resolve) => {
    const onMessage = (message: { queryCounts?: QueryCounts; queryMillis?: QueryCounts }) => {
      if (!message.queryCounts) return;
      child.off('message', onMessage);
      resolve({ counts: message.queryCounts, millis: message.queryMillis ?? {} });
    };
    child.on('message', onMessage);
    child.send('query-counts');
  });
}

/** What happened between two snapshots, per request: `{ statement: queries per request }`, busiest first. */
export function perRequest(before: QueryCounts, after: QueryCounts, requests: number): [string, number][] {
  return Object.keys(after)
    .map((key): [string, number] => [key, (after[key] - (before[key] ?? 0)) / Math.max(1, requests)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** How long the audit appends took, from send to answer: what every proxied request waited for. */
export interface AppendWaits {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** The audit append waits since the last call (the first call only starts the count). */
export function appendWaitsOf(child: ChildProcess): Promise<AppendWaits> {
  return new Promise((resolve) => {
    const onMessage = (message: { appendWaits?: number[] }) => {
      if (!message.appendWaits) return;
      child.off('message', onMessage);
      const sorted = [...message.appendWaits].sort((a, b) => a - b);
      resolve({
        count: sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
      });
    };
    child.on('message', onMessage);
    child.send('append-waits');
  });
}
