import type { OutcomePart } from './audit-chain';
import type { AuditEventRow } from './audit-event-view';
import type { AuditDecision, AuditOutcome } from './audit-recorder';
import { microsToIso, nowMicros } from './audit-time';
import type { Redactor } from './redaction';
import { stableJson, storableText } from './stable-json';

/** The one-word classification of how an event ended (what the original called `status`). */
export type AuditResult = 'open' | 'success' | 'failed' | 'denied' | 'error' | 'aborted';

export function resultOf(decision: AuditDecision, status: number, aborted: boolean): AuditResult {
  if (decision === 'deny') return 'denied';
  if (decision === 'error') return 'error';
  if (aborted) return 'aborted';
  if (status < 400) return 'success';
  return status < 500 ? 'failed' : 'error';
}

/**
 * Only successful, allowed reads may be folded into an earlier identical event: a write, a denial or an
 * error always keeps its own row.
 */
export function isFoldableRead(
  method: string,
  action: string,
  decision: AuditDecision,
  status?: number,
): boolean {
  if (status === undefined || decision !== 'allow' || status >= 400) return false;
  if (method) return method === 'GET' || method === 'HEAD';
  return /:(read|list|get)$/.test(action);
}

export function clampStatus(status: number): number {
  return Number.isInteger(status) && status >= 0 && status <= 999 ? status : 0;
}

/** The outcome fields of an open event as they will be stored and bound by its outcome MAC. */
export function outcomePartOf(
  current: { chain_index: string; decision?: unknown; event_count?: unknown },
  outcome: AuditOutcome,
  redactor: Redactor,
): OutcomePart {
  const now = microsToIso(nowMicros());
  const aborted = (outcome.details as { aborted?: unknown } | undefined)?.aborted === true;
  const decision = outcome.decision ?? (current.decision as AuditDecision);
  return {
    status: clampStatus(outcome.status),
    result: resultOf(decision, outcome.status, aborted),
    latencyMs: Math.max(0, Math.min(2 ** 31 - 1, Math.round(outcome.latencyMs))),
    bytesIn: outcome.bytesIn === undefined ? null : String(Math.max(0, Math.round(outcome.bytesIn))),
    bytesOut: outcome.bytesOut === undefined ? null : String(Math.max(0, Math.round(outcome.bytesOut))),
    outcomeDetails: outcome.details ? storableText(stableJson(redactor.value(outcome.details)), 8000) : null,
    completedAt: now,
    eventCount: Number(current.event_count),
    lastAt: now,
  };
}

/** The outcome a completed event holds now, as it was MACed; folds change a few fields and re-MAC it. */
export function storedOutcomeOf(row: AuditEventRow): OutcomePart {
  return {
    status: row.status === null ? null : Number(row.status),
    result: String(row.result),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    bytesIn: (row.bytes_in as string | null) ?? null,
    bytesOut: (row.bytes_out as string | null) ?? null,
    outcomeDetails: (row.outcome_details as string | null) ?? null,
    completedAt: (row.completed_at as string | null) ?? null,
    eventCount: Number(row.event_count),
    lastAt: String(row.last_at),
  };
}
