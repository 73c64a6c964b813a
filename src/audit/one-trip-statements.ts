import type { ChainedPart, OutcomePart } from './audit-chain';
import { AUDIT_EVENT_COLUMNS } from './audit-event-view';

/**
 * What an appended open event comes back with: enough to complete it later (its outcome MAC binds the chain
 * value) — not the whole row, which is read back, rendered and parsed only when an outcome is written.
 */
export const OPEN_EVENT_COLUMNS = 'chain_index, id, chain_value, decision, event_count, result';

/** One event ready to be inserted: its chained fields and the chain value computed over them. */
export interface ChainedRow {
  part: ChainedPart;
  chainValue: Buffer;
}

/**
 * A SQL string literal, exactly as the driver's `escapeLiteral` writes it (quotes doubled; with a backslash,
 * backslashes doubled and an `E` prefix), by native replaces instead of its character-by-character loop:
 * an appended event has some twenty-five literals, and the loop showed in the profile.
 */
export function literal(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
const nullable = (value: string | number | null) => (value === null ? 'NULL' : literal(String(value)));
const bytea = (value: Buffer) => literal(`\\x${value.toString('hex')}`);

/** The columns an appended event fills, in the order both append paths supply their values. */
export const APPEND_COLUMNS = `chain_index, id, occurred_at, request_id, actor_type, actor_email, actor_user_id,
  token_id, token_name, channel, client_ip, user_agent, rack, action, resource_type, resource_name, app,
  method, path, decision, rule, details, chain_value, last_at, fold_key`;

/** The chained text fields, in APPEND_COLUMNS order (from request_id through details). */
export function chainedTextValues(part: ChainedPart): string[] {
  return [
    part.requestId,
    part.actorType,
    part.actorEmail,
    part.actorUserId,
    part.tokenId,
    part.tokenName,
    part.channel,
    part.clientIp,
    part.userAgent,
    part.rack,
    part.action,
    part.resourceType,
    part.resourceName,
    part.app,
    part.method,
    part.path,
    part.decision,
    part.rule,
    part.details,
  ];
}

function valuesOf({ part, chainValue }: ChainedRow): string {
  const text = chainedTextValues(part).map((value) => `${literal(value)}::text`);
  const occurredAt = `${literal(part.occurredAt)}::timestamptz`;
  return `(${literal(part.chainIndex)}::bigint,${literal(part.id)}::uuid,${occurredAt},${text.join(',')},${bytea(chainValue)}::bytea,${occurredAt},NULL::text)`;
}

/**
 * A whole batch of open events appended in one round trip and one commit: a simple-protocol query of two
 * statements, which PostgreSQL runs as one transaction. The INSERT writes only if, under the chain lock,
 * the chain still ends at `expectedBase` (the index this process appended last; -1 for an empty chain),
 * since the events were chained on that assumption; otherwise it writes nothing and returns no row. Every
 * value is a literal escaped as the driver's `escapeLiteral` does (parameters would cost a round trip per
 * statement).
 */
export function appendAtHeadStatement(
  lock: number,
  expectedBase: string | undefined,
  rows: ChainedRow[],
): string {
  const expected = expectedBase === undefined ? '-1' : String(BigInt(expectedBase));
  return `SELECT pg_advisory_xact_lock(${Number(lock)});
INSERT INTO audit_events (${APPEND_COLUMNS})
SELECT * FROM (VALUES ${rows.map(valuesOf).join(',\n')}) AS batch
WHERE COALESCE((SELECT max(chain_index) FROM audit_events),
               (SELECT max(through_index) FROM audit_chain_checkpoints), -1) = ${expected}
RETURNING ${OPEN_EVENT_COLUMNS}`;
}

/** The outcome of one open event, with the MAC over it. */
export interface OutcomeUpdate {
  chainIndex: string;
  eventId: string;
  part: OutcomePart;
  mac: Buffer;
}

/**
 * Outcomes of several open events in one round trip and one commit: one UPDATE per event (each matches
 * only while its event is still open), run as one transaction. Results come back in the same order: the
 * whole completed row when `fullRows` (someone reads it: the audit stdout mirror), else only its id.
 */
export function outcomesStatement(updates: OutcomeUpdate[], fullRows = true): string {
  const returning = fullRows ? AUDIT_EVENT_COLUMNS : 'id';
  return updates
    .map(
      ({ chainIndex, eventId, part, mac }) =>
        `UPDATE audit_events SET status = ${nullable(part.status)}, result = ${literal(part.result)},
  latency_ms = ${nullable(part.latencyMs)}, bytes_in = ${nullable(part.bytesIn)}, bytes_out = ${nullable(part.bytesOut)},
  outcome_details = ${nullable(part.outcomeDetails)}, completed_at = ${nullable(part.completedAt)},
  event_count = ${nullable(part.eventCount)}, last_at = ${literal(part.lastAt)}, outcome_mac = ${bytea(mac)}
WHERE chain_index = ${literal(chainIndex)} AND id = ${literal(eventId)} AND result = 'open'
RETURNING ${returning}`,
    )
    .join(';\n');
}
