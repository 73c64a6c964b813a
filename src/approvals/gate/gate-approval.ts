/**
 * What the gate reads of a deploy approval request: its public id, state, the commit and app it is for,
 * and what it was used for so far. The approvals module's entity has these fields; the gate depends on
 * this shape only.
 */
export type GateApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired' | 'deployed';

export interface GateApproval {
  readonly id: string;
  readonly status: GateApprovalStatus;
  readonly app: string;
  readonly gitCommit: string;
  /** Pending: when nobody decided in time. Approved: the end of the deploy window. */
  readonly expiresAt: Date;
  readonly approvedAt: Date | null;
  readonly deployedAt: Date | null;
  readonly objectUrl: string | null;
  readonly buildId: string | null;
  readonly releaseId: string | null;
  readonly processIds: readonly string[];
}

/** Approved and inside its window: the only state in which a deploy step may use it. */
export function isUsable(approval: GateApproval, now: Date): boolean {
  return approval.status === 'approved' && approval.expiresAt.getTime() > now.getTime();
}
