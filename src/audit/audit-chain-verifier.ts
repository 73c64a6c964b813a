import { DataSource } from 'typeorm';
import {
  chainValueOf,
  ChainedPart,
  checkpointMacOf,
  OutcomePart,
  outcomeMacOf,
  sameMac,
} from './audit-chain';
import { AUDIT_EVENT_COLUMNS, AuditEventRow } from './audit-event-view';

export type ChainProblemKind = 'edited' | 'deleted' | 'inserted' | 'outcome-edited' | 'checkpoint-invalid';

export interface ChainProblem {
  kind: ChainProblemKind;
  chainIndex: string;
  eventId?: string;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** Events recorded but never completed (a crash mid-request, or a session still running). */
  open: { count: number; firstIds: string[] };
  head: { chainIndex: string; chainValue: string } | null;
  /** Where verification started: genesis, or the latest retention checkpoint. */
  startedAfter: string | null;
  problem: ChainProblem | null;
}

const BATCH = 2000;

/**
 * Walks the whole chain in one repeatable-read snapshot (so a concurrent retention run cannot look like a
 * deletion), recomputing every chain value and outcome MAC. Reports the first problem: a recomputed value
 * that differs (edited), a gap in the indexes (deleted), or a row whose value matches nothing (inserted).
 */
export async function verifyAuditChain(dataSource: DataSource, key: string): Promise<ChainVerification> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const [checkpoint] = (await runner.query(
      `SELECT through_index, chain_value, pruned_count, mac
       FROM audit_chain_checkpoints ORDER BY through_index DESC LIMIT 1`,
    )) as { through_index: string; chain_value: Buffer; pruned_count: string; mac: Buffer }[];
    const result: ChainVerification = {
      ok: true,
      checked: 0,
      open: { count: 0, firstIds: [] },
      head: null,
      startedAfter: checkpoint?.through_index ?? null,
      problem: null,
    };
    if (checkpoint) {
      const expected = checkpointMacOf(
        key,
        checkpoint.through_index,
        checkpoint.chain_value,
        checkpoint.pruned_count,
      );
      if (!sameMac(checkpoint.mac, expected)) {
        return fail(
          result,
          'checkpoint-invalid',
          checkpoint.through_index,
          undefined,
          'retention checkpoint MAC does not match',
        );
      }
    }
    let previous: Buffer | null = checkpoint?.chain_value ?? null;
    let expectedIndex = checkpoint ? BigInt(checkpoint.through_index) + 1n : 0n;
    for (;;) {
      const rows = (await runner.query(
        `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE chain_index >= $1 ORDER BY chain_index LIMIT ${BATCH}`,
        [expectedIndex.toString()],
      )) as AuditEventRow[];
      if (rows.length === 0 && expectedIndex === 0n && !checkpoint) {
        const [before] = (await runner.query('SELECT 1 FROM audit_events LIMIT 1')) as unknown[];
        if (before) return fail(result, 'deleted', '0', undefined, 'the genesis event is missing');
      }
      for (const row of rows) {
        const index = BigInt(row.chain_index);
        if (index !== expectedIndex) {
          return fail(
            result,
            'deleted',
            expectedIndex.toString(),
            undefined,
            `events ${expectedIndex}..${index - 1n} are missing`,
          );
        }
        const recomputed = chainValueOf(key, previous, chainedPartOf(row));
        if (!sameMac(row.chain_value, recomputed)) {
          const kind =
            row.chain_value.length !== 32 || !(await linksToNext(runner, key, row)) ? 'inserted' : 'edited';
          return fail(
            result,
            kind,
            row.chain_index,
            row.id,
            `event ${row.chain_index} does not match its chain value (edited, inserted or re-keyed)`,
          );
        }
        if (row.result === 'open') {
          result.open.count += 1;
          if (result.open.firstIds.length < 10) result.open.firstIds.push(row.id);
        } else if (!sameMac(row.outcome_mac, outcomeMacOf(key, row.chain_value, outcomePartOf(row)))) {
          return fail(
            result,
            'outcome-edited',
            row.chain_index,
            row.id,
            `the outcome of event ${row.chain_index} was changed`,
          );
        }
        previous = row.chain_value;
        expectedIndex = index + 1n;
        result.checked += 1;
        result.head = { chainIndex: row.chain_index, chainValue: row.chain_value.toString('hex') };
      }
      if (rows.length < BATCH) break;
    }
    if (!result.head && checkpoint) {
      result.head = {
        chainIndex: checkpoint.through_index,
        chainValue: checkpoint.chain_value.toString('hex'),
      };
    }
    return result;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

/**
 * Tells an edited row from an inserted one: the next row was chained over the original row's value, so if
 * it verifies against this row's stored value, this row's content was edited; if not, the row was put there
 * with a value the chain never produced.
 */
async function linksToNext(
  runner: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  key: string,
  row: AuditEventRow,
): Promise<boolean> {
  const [next] = (await runner.query(
    `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE chain_index = $1`,
    [String(BigInt(row.chain_index) + 1n)],
  )) as AuditEventRow[];
  return (
    next !== undefined && next.chain_value.equals(chainValueOf(key, row.chain_value, chainedPartOf(next)))
  );
}

function fail(
  result: ChainVerification,
  kind: ChainProblemKind,
  chainIndex: string,
  eventId: string | undefined,
  message: string,
): ChainVerification {
  return { ...result, ok: false, problem: { kind, chainIndex, eventId, message } };
}

export function chainedPartOf(row: AuditEventRow): ChainedPart {
  const s = (name: string) => String(row[name] ?? '');
  return {
    chainIndex: row.chain_index,
    id: row.id,
    occurredAt: row.occurred_at,
    requestId: s('request_id'),
    actorType: s('actor_type'),
    actorEmail: s('actor_email'),
    actorUserId: s('actor_user_id'),
    tokenId: s('token_id'),
    tokenName: s('token_name'),
    channel: s('channel'),
    clientIp: s('client_ip'),
    userAgent: s('user_agent'),
    rack: s('rack'),
    action: s('action'),
    resourceType: s('resource_type'),
    resourceName: s('resource_name'),
    app: s('app'),
    method: s('method'),
    path: s('path'),
    decision: s('decision'),
    rule: s('rule'),
    details: s('details'),
  };
}

function outcomePartOf(row: AuditEventRow): OutcomePart {
  const n = (name: string) => (row[name] === null || row[name] === undefined ? null : Number(row[name]));
  return {
    status: n('status'),
    result: String(row.result),
    latencyMs: n('latency_ms'),
    bytesIn: (row.bytes_in as string | null) ?? null,
    bytesOut: (row.bytes_out as string | null) ?? null,
    outcomeDetails: (row.outcome_details as string | null) ?? null,
    completedAt: (row.completed_at as string | null) ?? null,
    eventCount: Number(row.event_count),
    lastAt: String(row.last_at),
  };
}
