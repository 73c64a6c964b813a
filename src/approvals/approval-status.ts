/**
 * The life of a deploy approval request. The same rules are enforced by the database trigger in
 * migrations/1796173058767-CreateDeployApprovalRequests.ts, so a bug here cannot write an illegal row.
 */
export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'deployed',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Open requests can still change; the rest are final. */
export const OPEN_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved'];
export const TERMINAL_STATUSES: readonly ApprovalStatus[] = ['rejected', 'cancelled', 'expired', 'deployed'];

const LEGAL: Readonly<Record<ApprovalStatus, readonly ApprovalStatus[]>> = {
  pending: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['deployed', 'rejected', 'cancelled', 'expired'],
  rejected: [],
  cancelled: [],
  expired: [],
  deployed: [],
};

export function isApprovalStatus(value: string): value is ApprovalStatus {
  return (APPROVAL_STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: ApprovalStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return LEGAL[from].includes(to);
}

/** The statuses a request may be in for `to` to follow (what an UPDATE's WHERE clause allows). */
export function statusesLeadingTo(to: ApprovalStatus): ApprovalStatus[] {
  return APPROVAL_STATUSES.filter((from) => LEGAL[from].includes(to));
}
