/**
 * Why a promote needs an auditor's attention. The report checks the evidence (audit events and the request
 * row) rather than trusting that the gateway's rules held, so a row written around the rules still shows.
 */
export const DEPLOYMENT_EXCEPTIONS = {
  unapproved_deploy_by_person: 'a person promoted without a deploy approval',
  unapproved_deploy_by_token: 'an API token with direct deploy rights promoted without a deploy approval',
  self_approved:
    'the approver requested the deploy or owns the deploying token (approvals.allow_self_approval)',
  promoted_after_expiry: 'the promote came after the approval had expired',
  commit_mismatch: 'a build under the approval named a different commit than the approved one',
  release_mismatch: 'the promoted release is not the one built under the approval',
  approved_by_token: 'the approval was given by an API token, not a person',
} as const;

export type DeploymentException = keyof typeof DEPLOYMENT_EXCEPTIONS;

/** What is known about one promote: its audit event, and the approval it ran under, if any. */
export interface PromoteEvidence {
  succeeded: boolean;
  actorType: string;
  at: Date;
  releaseId: string;
  approval?: {
    gitCommit: string;
    releaseId: string | null;
    expiresAt: Date;
    createdByUserId: string;
    targetTokenOwnerId: string;
    approvedByUserId: string | null;
    /** Actor types of the audit events that approved it. */
    approverActorTypes: string[];
    /** Commits named by rack calls made under it (the build's git-sha). */
    commitsSeen: string[];
  };
}

export function exceptionsOf(evidence: PromoteEvidence): DeploymentException[] {
  if (!evidence.succeeded) return [];
  const { approval } = evidence;
  if (!approval) {
    return [evidence.actorType === 'token' ? 'unapproved_deploy_by_token' : 'unapproved_deploy_by_person'];
  }
  const found: DeploymentException[] = [];
  const approver = approval.approvedByUserId;
  if (approver && (approver === approval.createdByUserId || approver === approval.targetTokenOwnerId)) {
    found.push('self_approved');
  }
  if (evidence.at.getTime() > approval.expiresAt.getTime()) found.push('promoted_after_expiry');
  if (approval.commitsSeen.some((commit) => commit !== approval.gitCommit)) found.push('commit_mismatch');
  if (approval.releaseId !== evidence.releaseId) found.push('release_mismatch');
  if (approval.approverActorTypes.some((type) => type !== 'user')) found.push('approved_by_token');
  return found;
}
