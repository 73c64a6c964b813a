import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';

/** Queries by statement and table (`SELECT api_tokens`, `COMMIT` …) since the last reset. */
export type QueryCounts = Record<string, number>;

function statementOf(sql: string): string {
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
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    const sql = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (typeof sql === 'string') {
      const key = statementOf(sql);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return original.apply(this, args);
  };
  process.on('message', (message: unknown) => {
    if (message === 'query-counts') process.send?.({ queryCounts: { ...counts } });
  });
}

/** Asks a child that called countQueriesOverIpc for its counts so far. */
export function queryCountsOf(child: ChildProcess): Promise<QueryCounts> {
  return new Promise((resolve) => {
    const onMessage = (message: { queryCounts?: QueryCounts }) => {
      if (!message.queryCounts) return;
      child.off('message', onMessage);
      resolve(message.queryCounts);
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
