import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The tamper-evidence scheme. Each event is split into an immutable request part, chained at insert,
 * and an outcome part, written when the call ends (proxied requests and websocket sessions are audited
 * before they run). Both are encoded as JSON arrays in a fixed field order: unambiguous (no field can
 * bleed into the next, unlike concatenation) and rebuildable from the stored columns.
 *
 *   chain_value = HMAC(key, "rgw-audit-v1|" ‖ previous chain value hex (or "genesis") ‖ "|" ‖ request JSON)
 *   outcome_mac = HMAC(key, "rgw-audit-outcome-v1|" ‖ chain_value hex ‖ "|" ‖ outcome JSON)
 */
export interface ChainedPart {
  chainIndex: string;
  id: string;
  occurredAt: string;
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
  details: string;
}

export interface OutcomePart {
  status: number | null;
  result: string;
  latencyMs: number | null;
  bytesIn: string | null;
  bytesOut: string | null;
  outcomeDetails: string | null;
  completedAt: string | null;
  eventCount: number;
  lastAt: string;
}

const CHAINED_FIELDS: readonly (keyof ChainedPart)[] = [
  'chainIndex',
  'id',
  'occurredAt',
  'requestId',
  'actorType',
  'actorEmail',
  'actorUserId',
  'tokenId',
  'tokenName',
  'channel',
  'clientIp',
  'userAgent',
  'rack',
  'action',
  'resourceType',
  'resourceName',
  'app',
  'method',
  'path',
  'decision',
  'rule',
  'details',
];

const OUTCOME_FIELDS: readonly (keyof OutcomePart)[] = [
  'status',
  'result',
  'latencyMs',
  'bytesIn',
  'bytesOut',
  'outcomeDetails',
  'completedAt',
  'eventCount',
  'lastAt',
];

export function chainValueOf(key: string, previous: Buffer | null, part: ChainedPart): Buffer {
  const body = JSON.stringify(CHAINED_FIELDS.map((field) => part[field]));
  return createHmac('sha256', key)
    .update(`rgw-audit-v1|${previous ? previous.toString('hex') : 'genesis'}|${body}`)
    .digest();
}

export function outcomeMacOf(key: string, chainValue: Buffer, outcome: OutcomePart): Buffer {
  const body = JSON.stringify(OUTCOME_FIELDS.map((field) => outcome[field]));
  return createHmac('sha256', key)
    .update(`rgw-audit-outcome-v1|${chainValue.toString('hex')}|${body}`)
    .digest();
}

/** A retention checkpoint: the chain value of the last pruned event, so verification can resume after it. */
export function checkpointMacOf(
  key: string,
  throughIndex: string,
  chainValue: Buffer,
  prunedCount: string,
): Buffer {
  return createHmac('sha256', key)
    .update(`rgw-audit-checkpoint-v1|${throughIndex}|${chainValue.toString('hex')}|${prunedCount}`)
    .digest();
}

export function sameMac(a: Buffer | null, b: Buffer): boolean {
  return a !== null && a.length === b.length && timingSafeEqual(a, b);
}
