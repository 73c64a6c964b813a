import type { GateApproval } from './gate-approval';
import type { GateUpload } from './gate-upload';

/**
 * The words a refused deploy step is answered with (`{"error": "…"}`, which the convox CLI prints after
 * `ERROR:`). Each names what is missing, so a CI log alone tells the operator what to do next.
 */
export const refusals = {
  disabled: (doing: string) =>
    `deploy approvals are switched off (setting approvals.enabled), so this token may not ${doing}: it deploys only under an approved request`,
  noRequest: (app: string, commit?: string) =>
    commit ? `no approved deploy request for ${app} at ${commit}` : `no approved deploy request for ${app}`,
  notTracked: (app: string, what: string) => `no approved deploy request for ${app} covers ${what}`,
  notUsable: (approval: GateApproval, now: Date): string => {
    const request = `deploy request ${approval.id} for ${approval.app} at ${approval.gitCommit}`;
    switch (approval.status) {
      case 'pending':
        return `${request} is pending: nobody has approved it yet`;
      case 'deployed':
        return `this approval was already used: ${request} deployed release ${approval.releaseId ?? '?'}${
          approval.deployedAt ? ` at ${approval.deployedAt.toISOString()}` : ''
        }; request a new approval to deploy again`;
      case 'rejected':
      case 'cancelled':
        return `${request} was ${approval.status}`;
      case 'expired':
      case 'approved':
        return approval.expiresAt.getTime() <= now.getTime()
          ? `approval expired at ${approval.expiresAt.toISOString()} (${request})`
          : `${request} is not usable`;
    }
  },
  noCommit: () =>
    'a build under a deploy approval must name the approved commit: the build request has no git-sha (convox build sends it from a git checkout)',
  badCommit: (sha: string) => `git-sha "${sha.slice(0, 80)}" is not a full 40-character lower-case commit`,
  buildUsed: (approval: GateApproval) =>
    `this approval was already used for build ${approval.buildId ?? '?'} (deploy request ${approval.id}); request a new approval to build again`,
  sourceKeyTaken: (app: string, key: string) =>
    `${key} of ${app} was already uploaded through a deploy approval and is not overwritten; upload the source under a new name (convox build picks a fresh one each run)`,
  unknownSource: (app: string, approval: GateApproval, url: string) =>
    `the build's source ${shown(url)} is not an upload this token made for ${app} through the gateway; upload the source and build it in the same run (convox build does both) to use deploy request ${approval.id}`,
  sourceBuilt: (upload: GateUpload, approval: GateApproval) =>
    `source ${upload.objectUrl} was already built under deploy request ${upload.approvalRequestId ?? '?'}; upload the source again to build it under deploy request ${approval.id} (convox build does both)`,
  sourceBeforeApproval: (upload: GateUpload, approval: GateApproval) =>
    `source ${upload.objectUrl} was uploaded at ${upload.startedAt.toISOString()}, before deploy request ${approval.id} was approved${
      approval.approvedAt ? ` at ${approval.approvedAt.toISOString()}` : ''
    }; upload the source again to build it under this approval (convox build does both)`,
  otherSource: (approval: GateApproval, url: string) =>
    `deploy request ${approval.id} was given source ${approval.objectUrl ?? '?'} when it was uploaded, so it builds only that source, not ${shown(url)}; build that url, or request a new approval`,
  noRelease: () =>
    'a process started under a deploy approval must run the approved release (convox run --release <release>)',
  command: (reason: string) => `command not allowed under a deploy approval: ${reason}`,
  images: (app: string, reason: string) => `build refused by the image patterns of ${app}: ${reason}`,
  noManifest: (app: string, manifest: string, problem?: string) =>
    `build refused by the image patterns of ${app}: the uploaded source has no readable ${manifest}${
      problem ? ` (${problem})` : ''
    }`,
  importWithPatterns: (app: string) =>
    `${app} has image patterns (deploy.service_image_patterns), which builds import cannot be checked against; use convox build`,
  trackingFailed: () => 'the deploy approval could not record this call, so it was not completed; try again',
};

/** A url from the client, cut to a length a log line can carry. */
function shown(url: string): string {
  return url.slice(0, 300) || '(none)';
}
