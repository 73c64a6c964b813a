import type { EntityManager } from 'typeorm';
import { outcomeMacOf, type OutcomePart } from './audit-chain';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow } from './audit-event-view';

/**
 * Writes an event's outcome fields and the MAC binding them to its chain value, inside the caller's
 * transaction (which holds the row or the chain lock); the completed row comes back.
 */
export async function writeOutcomeRow(
  manager: EntityManager,
  key: string,
  chainIndex: string,
  chainValue: Buffer,
  part: OutcomePart,
): Promise<AuditEventRow | null> {
  const [updated] = (await manager.query(
    `UPDATE audit_events SET status = $2, result = $3, latency_ms = $4, bytes_in = $5, bytes_out = $6,
       outcome_details = $7, completed_at = $8, event_count = $9, last_at = $10, outcome_mac = $11
     WHERE chain_index = $1
     RETURNING ${AUDIT_EVENT_COLUMNS}`,
    [
      chainIndex,
      part.status,
      part.result,
      part.latencyMs,
      part.bytesIn,
      part.bytesOut,
      part.outcomeDetails,
      part.completedAt,
      part.eventCount,
      part.lastAt,
      outcomeMacOf(key, chainValue, part),
    ],
  )) as [AuditEventRow[], number];
  // The pg driver answers an UPDATE … RETURNING with [rows, affected count].
  return updated[0] ?? null;
}

export function present(row: AuditEventRow | null): AuditEventRow {
  if (!row) throw new Error('audit event vanished while its outcome was written');
  return row;
}
