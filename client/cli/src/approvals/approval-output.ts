import { relativeTime } from '../output/relative-time';
import { renderDetails, renderTable, type Cell } from '../output/table';
import type { ApprovalRequest } from './approval-request';
import type { WaitResult } from './approval-wait';
import { formatElapsed } from './wait-progress';

function requester(request: ApprovalRequest): string | undefined {
  const by = request.createdBy;
  if (!by) return undefined;
  return by.kind === 'token' && by.tokenName ? `token ${by.tokenName} (${by.email})` : by.email;
}

export function renderApprovalTable(requests: ApprovalRequest[]): string {
  return renderTable(
    ['ID', 'STATUS', 'APP', 'COMMIT', 'BRANCH', 'REQUESTED BY', 'CREATED', 'MESSAGE'],
    requests.map((r) => [
      r.id,
      r.status,
      r.app,
      r.gitCommit.slice(0, 12),
      r.gitBranch,
      requester(r),
      relativeTime(r.createdAt),
      r.message.length > 60 ? `${r.message.slice(0, 59)}…` : r.message,
    ]),
  );
}

/** The decision lines that apply to this request's history, skipping what never happened. */
function decisionRows(r: ApprovalRequest): Array<[string, Cell]> {
  const rows: Array<[string, Cell]> = [];
  const add = (key: string, value: Cell) => {
    if (value !== undefined && value !== null && value !== '') rows.push([key, value]);
  };
  add('Approved', r.approvedAt ? `${r.approvedAt} by ${r.approvedBy ?? '?'}` : undefined);
  add('Approval notes', r.approvalNotes);
  add('Rejected', r.rejectedAt ? `${r.rejectedAt} by ${r.rejectedBy ?? '?'}` : undefined);
  add('Rejection notes', r.rejectionNotes);
  add('Cancelled', r.cancelledAt ? `${r.cancelledAt} by ${r.cancelledBy ?? '?'}` : undefined);
  add('Cancellation notes', r.cancellationNotes);
  add('Expired', r.expiredAt);
  add('Deployed', r.deployedAt);
  add('Build', r.buildId);
  add('Release', r.releaseId);
  return rows;
}

/**
 * `expiresAt` is the pending TTL before a decision and the deploy window after an approval; the label says
 * which, and the time to go is shown only while the request can still be used.
 */
function deadlineRow(r: ApprovalRequest): [string, Cell] {
  if (!r.expiresAt) return ['Expires', undefined];
  const withCountdown = `${r.expiresAt} (${relativeTime(r.expiresAt)})`;
  if (r.status === 'pending') return ['Expires', withCountdown];
  if (r.status === 'approved') return ['Deploy window until', withCountdown];
  if (r.status === 'deployed') return ['Deploy window until', r.expiresAt];
  return ['Was due', r.expiresAt];
}

export function renderApprovalDetails(r: ApprovalRequest): string {
  return renderDetails([
    ['Id', r.id],
    ['Status', r.status],
    ['App', r.app],
    ['Commit', r.gitCommit],
    ['Branch', r.gitBranch],
    ['Message', r.message],
    ['Token', r.targetToken ? `${r.targetToken.name} (${r.targetToken.id})` : undefined],
    ['Requested by', requester(r)],
    ['Created', r.createdAt],
    deadlineRow(r),
    ...decisionRows(r),
    ['PR', r.prUrl],
    ['CI', r.ciUrl],
    [
      'CI metadata',
      r.ciMetadata && Object.keys(r.ciMetadata).length ? JSON.stringify(r.ciMetadata) : undefined,
    ],
  ]);
}

/** The sentence that ends a wait; for every outcome but `approved` it becomes `Error: …` (non-zero exit). */
export function waitOutcomeText({ outcome, request: r, elapsedMs }: WaitResult): string {
  const notes = (text: string | null | undefined) => (text ? `: ${text}` : '');
  switch (outcome) {
    case 'approved':
      return `Deploy approval request ${r.id} approved by ${r.approvedBy ?? 'an approver'}${notes(r.approvalNotes)}; deploy before ${r.expiresAt}`;
    case 'rejected':
      return `deploy approval request ${r.id} was rejected by ${r.rejectedBy ?? 'an approver'}${notes(r.rejectionNotes)}`;
    case 'expired':
      return `deploy approval request ${r.id} expired at ${r.expiredAt ?? r.expiresAt} without a deploy; request a new one`;
    case 'cancelled':
      return `deploy approval request ${r.id} was cancelled by ${r.cancelledBy ?? 'its requester'}${notes(r.cancellationNotes)}`;
    case 'deployed':
      return `deploy approval request ${r.id} was already used: release ${r.releaseId ?? '?'} was promoted at ${r.deployedAt}; request a new one to deploy again`;
    case 'timeout':
      return `timed out after ${formatElapsed(elapsedMs)} waiting for deploy approval request ${r.id} (still ${r.status})`;
  }
}
