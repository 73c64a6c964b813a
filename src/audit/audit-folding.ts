import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutcomePart } from './audit-chain';
import type { RequestFields } from './audit-event-builder';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow } from './audit-event-view';
import { storedOutcomeOf } from './audit-outcome';
import { microsToIso } from './audit-time';
import { present, writeOutcomeRow } from './outcome-row';
import type { Redactor } from './redaction';
import { stableJson, storableText } from './stable-json';

/**
 * Folding: repeats of the same completed call become one event whose count and last time grow (re-MACed),
 * instead of a row each — identical reads within the folding window, and refusal floods counted in memory.
 */

/** What makes two reads "the same" for folding: who, what, on what, how it ended, from where. */
export function foldKeyOf(fields: RequestFields, status: number | undefined): string {
  const identity = [
    fields.actorEmail,
    fields.tokenId,
    fields.action,
    fields.resourceType,
    fields.resourceName,
    fields.decision,
    String(status),
    fields.method,
    fields.path,
    fields.clientIp,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/**
 * Folds a repeated read into the latest identical event of the window (inside the append transaction,
 * under the chain lock): its count and last time grow. Null when there is none to fold into.
 */
export async function foldRepeatedRead(
  manager: EntityManager,
  key: string,
  foldKey: string,
  micros: bigint,
  foldSeconds: number,
): Promise<AuditEventRow | null> {
  const windowStart = microsToIso(micros - BigInt(foldSeconds) * 1_000_000n);
  const [target] = (await manager.query(
    `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events
     WHERE fold_key = $1 AND last_at >= $2 AND result <> 'open'
     ORDER BY chain_index DESC LIMIT 1`,
    [foldKey, windowStart],
  )) as AuditEventRow[];
  if (!target) return null;
  const part: OutcomePart = {
    ...storedOutcomeOf(target),
    eventCount: Number(target.event_count) + 1,
    lastAt: microsToIso(micros),
  };
  return present(await writeOutcomeRow(manager, key, target.chain_index, target.chain_value, part));
}

/**
 * Folds occurrences counted in memory (a flood of refusals) into a completed event: its count becomes
 * `count`, its last time `lastAt`, and `details` join its outcome details, re-MACed like a folded read.
 * Null when the event does not exist or is still open.
 */
export function foldOccurrences(
  dataSource: DataSource,
  key: string,
  redactor: Redactor,
  eventId: string,
  fold: { count: number; lastAt: Date; details: Record<string, unknown> },
): Promise<AuditEventRow | null> {
  return dataSource.transaction(async (manager) => {
    const [target] = (await manager.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE id = $1 AND result <> 'open' FOR UPDATE`,
      [eventId],
    )) as AuditEventRow[];
    if (!target) return null;
    const earlier = target.outcome_details ? (JSON.parse(String(target.outcome_details)) as object) : {};
    const merged = redactor.value({ ...earlier, ...fold.details });
    const part: OutcomePart = {
      ...storedOutcomeOf(target),
      outcomeDetails: storableText(stableJson(merged), 8000),
      eventCount: fold.count,
      lastAt: microsToIso(BigInt(fold.lastAt.getTime()) * 1000n),
    };
    return writeOutcomeRow(manager, key, target.chain_index, target.chain_value, part);
  });
}
