import type { AuditDecision } from './audit-recorder';

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
