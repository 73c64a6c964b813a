/**
 * What the gateway tells people about, independent of how it is delivered. A notice is stored as a job's
 * arguments, so it holds only what every channel may show: no tokens, no URLs with credentials.
 */
export const APPROVAL_EVENTS = [
  'created',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'deployed',
] as const;
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];

export interface ApprovalNotice {
  kind: 'approval';
  event: ApprovalEvent;
  /** The request's public id. */
  requestId: string;
  app: string;
  gitCommit: string;
  gitBranch: string | null;
  /** The requester's text: shown escaped on every channel. */
  message: string;
  /** Email of the requesting person, or `token <name>`. */
  requestedBy: string;
  /** Who approved, rejected, cancelled or deployed; null when the gateway itself acted (expiry). */
  actor: string | null;
  notes: string | null;
  /** Where an admin reads the request. */
  url: string;
  occurredAt: string;
}

export interface AccountLockedNotice {
  kind: 'account_locked';
  user: string;
  reason: string;
  /** Where an admin unlocks the account. */
  url: string;
  occurredAt: string;
}

export type Notice = ApprovalNotice | AccountLockedNotice;

/** The event name receivers switch on: `approval.created`, `account.locked` … */
export function noticeType(notice: Notice): string {
  return notice.kind === 'approval' ? `approval.${notice.event}` : 'account.locked';
}

const APPROVAL_TITLES: Record<ApprovalEvent, string> = {
  created: 'Deploy approval requested',
  approved: 'Deploy approved',
  rejected: 'Deploy rejected',
  cancelled: 'Deploy approval cancelled',
  expired: 'Deploy approval expired',
  deployed: 'Deployed',
};

/** One line saying what happened; used as Slack header, email subject and fallback text. */
export function noticeTitle(notice: Notice): string {
  if (notice.kind === 'account_locked') return `Account locked: ${notice.user}`;
  return `${APPROVAL_TITLES[notice.event]}: ${notice.app} at ${notice.gitCommit.slice(0, 7)}`;
}

/** Labelled facts in display order, each already a single line (user text is shown as is; callers escape). */
export function noticeFacts(notice: Notice): [label: string, value: string][] {
  if (notice.kind === 'account_locked')
    return [
      ['User', notice.user],
      ['Reason', notice.reason],
    ];
  const facts: [string, string][] = [
    ['App', notice.app],
    ['Commit', notice.gitCommit],
    ['Branch', notice.gitBranch ?? '(none)'],
    ['Requested by', notice.requestedBy],
  ];
  if (notice.actor) facts.push([actorLabel(notice.event), notice.actor]);
  return facts;
}

function actorLabel(event: ApprovalEvent): string {
  if (event === 'approved') return 'Approved by';
  if (event === 'rejected') return 'Rejected by';
  if (event === 'cancelled') return 'Cancelled by';
  return 'By';
}
