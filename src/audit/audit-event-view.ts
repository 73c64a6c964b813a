import { isoMicrosSql } from './audit-time';

/** An audit event as the API, the export and the stdout mirror show it. */
export interface AuditEventView {
  id: string;
  chainIndex: string;
  time: string;
  requestId: string;
  actorType: string;
  actorEmail: string;
  actorUserId: string;
  tokenId: string;
  tokenName: string;
  channel: string;
  clientIp: string;
  userAgent: string;
  rack: string;
  action: string;
  resourceType: string;
  resourceName: string;
  app: string;
  method: string;
  path: string;
  decision: string;
  rule: string;
  details: unknown;
  status: number | null;
  result: string;
  latencyMs: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  outcomeDetails: unknown;
  completedAt: string | null;
  eventCount: number;
  lastAt: string;
}

/** The select list that every reader uses; times come back in the exact form that was hashed. */
export const AUDIT_EVENT_COLUMNS = `
  chain_index, id, ${isoMicrosSql('occurred_at')} AS occurred_at, request_id,
  actor_type, actor_email, actor_user_id, token_id, token_name, channel, client_ip, user_agent, rack,
  action, resource_type, resource_name, app, method, path, decision, rule, details, chain_value,
  status, result, latency_ms, bytes_in, bytes_out, outcome_details,
  ${isoMicrosSql('completed_at')} AS completed_at, event_count, ${isoMicrosSql('last_at')} AS last_at,
  outcome_mac`;

export type AuditEventRow = Record<string, unknown> & {
  chain_index: string;
  id: string;
  occurred_at: string;
  chain_value: Buffer;
  outcome_mac: Buffer | null;
};

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  const str = (key: string) => String(row[key] ?? '');
  const num = (key: string) => (row[key] === null || row[key] === undefined ? null : Number(row[key]));
  return {
    id: row.id,
    chainIndex: row.chain_index,
    time: row.occurred_at,
    requestId: str('request_id'),
    actorType: str('actor_type'),
    actorEmail: str('actor_email'),
    actorUserId: str('actor_user_id'),
    tokenId: str('token_id'),
    tokenName: str('token_name'),
    channel: str('channel'),
    clientIp: str('client_ip'),
    userAgent: str('user_agent'),
    rack: str('rack'),
    action: str('action'),
    resourceType: str('resource_type'),
    resourceName: str('resource_name'),
    app: str('app'),
    method: str('method'),
    path: str('path'),
    decision: str('decision'),
    rule: str('rule'),
    details: parseJson(row.details),
    status: num('status'),
    result: str('result'),
    latencyMs: num('latency_ms'),
    bytesIn: num('bytes_in'),
    bytesOut: num('bytes_out'),
    outcomeDetails: parseJson(row.outcome_details),
    completedAt: (row.completed_at as string | null) ?? null,
    eventCount: Number(row.event_count ?? 1),
    lastAt: str('last_at'),
  };
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value);
  } catch {
    // Over-long details are cut at 8000 characters and are no longer JSON; show the text.
    return value;
  }
}
