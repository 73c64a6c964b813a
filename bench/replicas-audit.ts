import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../src/audit/audit-chain-verifier';
import { dataSourceOptions } from '../src/database/data-source-options';

export interface AuditTally {
  /** Rows of the rack-proxy calls since the start (a folded row stands for several calls). */
  rows: number;
  /** Calls those rows stand for: the sum of their event counts. */
  calls: number;
  /** Of those, the calls made with one token (`byToken`), when asked. */
  callsByToken?: number;
  /** Rows still open (a call whose outcome was never written). */
  open: number;
  chain: { ok: boolean; checked: number; open: number; problem: string | null };
}

/** Counts the audit trail of rack-proxy calls since `since` and verifies the whole chain. */
export async function tallyAudit(
  databaseUrl: string,
  hmacKey: string,
  since: Date,
  byToken?: string,
): Promise<AuditTally> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS rows, coalesce(sum(event_count), 0)::int AS calls,
              count(*) FILTER (WHERE result = 'open')::int AS open,
              coalesce(sum(event_count) FILTER (WHERE token_name = $2), 0)::int AS by_token
         FROM audit_events WHERE occurred_at >= $1 AND path LIKE '/api/v1/rack-proxy/%'`,
      [since, byToken ?? ''],
    )) as { rows: number; calls: number; open: number; by_token: number }[];
    const report = await verifyAuditChain(dataSource, hmacKey);
    return {
      rows: row.rows,
      calls: row.calls,
      callsByToken: byToken ? row.by_token : undefined,
      open: row.open,
      chain: {
        ok: report.ok,
        checked: report.checked,
        open: report.open.count,
        problem: report.problem?.message ?? null,
      },
    };
  } finally {
    await dataSource.destroy();
  }
}
