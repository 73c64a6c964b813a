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
 * The outcomes of several open events as ONE statement: an UPDATE joined to a VALUES list, so the batch pays
 * for parsing, planning and opening the table's indexes once rather than once per event (measured: about a
 * third of PostgreSQL's CPU per audited request went to those per-statement costs). Each event matches only
 * while it is still open. Each event may appear once (OneTripWriter keeps the first): with two rows for one
 * target PostgreSQL would apply either. The VALUES columns carry an `o_` prefix so the RETURNING list names only `audit_events` columns.
 * The rows come back in no particular order: the whole completed row when `fullRows` (someone reads it: the
 * audit stdout mirror), else only its id.
 */
export function outcomesStatement(updates: OutcomeUpdate[], fullRows = true): string {
  const returning = fullRows ? AUDIT_EVENT_COLUMNS : 'id';
  const values = updates.map(
    ({ chainIndex, eventId, part, mac }) =>
      `(${literal(chainIndex)}::bigint,${literal(eventId)}::uuid,${nullable(part.status)}::integer,` +
      `${literal(part.result)}::text,${nullable(part.latencyMs)}::integer,${nullable(part.bytesIn)}::bigint,` +
      `${nullable(part.bytesOut)}::bigint,${nullable(part.outcomeDetails)}::text,` +
      `${nullable(part.completedAt)}::timestamptz,${nullable(part.eventCount)}::integer,` +
      `${literal(part.lastAt)}::timestamptz,${bytea(mac)}::bytea)`,
  );
  return `UPDATE audit_events SET status = o_status, result = o_result, latency_ms = o_latency_ms,
  bytes_in = o_bytes_in, bytes_out = o_bytes_out, outcome_details = o_outcome_details,
  completed_at = o_completed_at, event_count = o_event_count, last_at = o_last_at, outcome_mac = o_mac
FROM (VALUES ${values.join(',\n')}) AS outcome(o_chain_index, o_id, o_status, o_result, o_latency_ms,
  o_bytes_in, o_bytes_out, o_outcome_details, o_completed_at, o_event_count, o_last_at, o_mac)
WHERE chain_index = o_chain_index AND id = o_id AND result = 'open'
RETURNING ${returning}`;
}
