import type { IncomingMessage } from 'node:http';
import type { AccessDecision, AccessTarget } from './access-decision';

/**
 * The access chain's notes on one request: every decision in the order the steps made them, and what the
 * request is about. Kept on the request itself, where the audit context (which sits above this layer) reads
 * them: the audit trail writes what it is told here and derives nothing from routes or error texts.
 */
export interface AccessRecord {
  decisions: AccessDecision[];
  target?: AccessTarget;
  /**
   * What steps before the audit-first step want in the request part of the rack call's event (a deploy
   * approval's `approvalId`); steps after it annotate the open event instead.
   */
  eventDetails?: Record<string, unknown>;
  /** Set once the rack call's audit event is durable: later refusals complete that event as denied. */
  eventOpened?: boolean;
}

const RECORD = Symbol('rgw.accessRecord');
type WithRecord = IncomingMessage & { [RECORD]?: AccessRecord };

export function accessRecordOf(req: IncomingMessage): AccessRecord {
  const withRecord = req as WithRecord;
  return (withRecord[RECORD] ??= { decisions: [] });
}

export function recordDecision(req: IncomingMessage, decision: AccessDecision): void {
  accessRecordOf(req).decisions.push(decision);
}

/** The decision that stopped the request, if one did. */
export function refusalOf(req: IncomingMessage): AccessDecision | undefined {
  const decisions = (req as WithRecord)[RECORD]?.decisions ?? [];
  return decisions.find((decision) => decision.code !== 'allowed');
}

export function setAccessTarget(req: IncomingMessage, target: AccessTarget): void {
  accessRecordOf(req).target = target;
}
