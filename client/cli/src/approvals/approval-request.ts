/** The gateway's view of a deploy approval request (`/api/v1/deploy-approval-requests`), as far as the CLI reads it. */
export interface ApprovalRequest {
  id: string;
  status: string;
  app: string;
  gitCommit: string;
  gitBranch?: string | null;
  message: string;
  ciMetadata?: Record<string, unknown>;
  prUrl?: string | null;
  ciUrl?: string | null;
  targetToken?: { id: string; name: string; ownerEmail?: string };
  createdBy?: { kind: string; email: string; tokenName?: string | null };
  createdAt?: string;
  expiresAt?: string;
  approvedAt?: string | null;
  approvedBy?: string | null;
  approvalNotes?: string | null;
  rejectedAt?: string | null;
  rejectedBy?: string | null;
  rejectionNotes?: string | null;
  cancelledAt?: string | null;
  cancelledBy?: string | null;
  cancellationNotes?: string | null;
  expiredAt?: string | null;
  deployedAt?: string | null;
  buildId?: string | null;
  releaseId?: string | null;
}

export interface ApprovalRequestPage {
  items: ApprovalRequest[];
  nextCursor: string | null;
}

/** The body of the 409 answering a second request for the same token, app and commit. */
export interface ApprovalConflict {
  error: string;
  message?: string;
  id: string;
  status: string;
  request?: ApprovalRequest;
}

export const APPROVALS_PATH = '/deploy-approval-requests';

export function approvalPath(id: string, action?: string): string {
  return `${APPROVALS_PATH}/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'cancelled', 'expired', 'deployed'];
