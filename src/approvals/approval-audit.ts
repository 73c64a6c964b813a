/**
 * How audit events link to a deploy approval request. Every event about a request — its lifecycle changes
 * through the API, expiry, and each rack call made under the approval — carries the request's public id as
 * `approvalRequestId` at the top level of the event's details (known before the call) or of its outcome
 * (learned while it ran: `AuditRecorder.annotate({ approvalRequestId })`). Lifecycle events also name the
 * request as their resource, with this one resource type.
 */
export const APPROVAL_RESOURCE_TYPE = 'deploy_approval_request';
export const APPROVAL_AUDIT_FIELD = 'approvalRequestId';

/** Audit actions of the lifecycle, one per change. */
export const APPROVAL_AUDIT_ACTIONS = {
  create: 'gateway:deploy_approval:create',
  approve: 'gateway:deploy_approval:approve',
  reject: 'gateway:deploy_approval:reject',
  extend: 'gateway:deploy_approval:extend',
  cancel: 'gateway:deploy_approval:cancel',
  expire: 'gateway:deploy_approval:expire',
} as const;

export function approvalLink(id: string): { approvalRequestId: string } {
  return { [APPROVAL_AUDIT_FIELD]: id } as { approvalRequestId: string };
}

/**
 * SQL taking the request id out of an audit event's JSON text (`details` or `outcome_details`). It is the
 * expression of the two indexes of migration 1796173058767, so it must stay identical to theirs; a pattern
 * rather than a JSON cast because details over 8000 characters are cut and no longer JSON.
 */
export const approvalIdIn = (column: 'details' | 'outcome_details'): string =>
  `substring(${column} from '"approvalRequestId":"([0-9a-f-]{36})"')`;

/**
 * A source upload's audit event names the upload (`sourceUploadId` in its details; the build made from it
 * names it too). The upload names no commit, so it belongs to no request when it is made; once a build
 * binds it (deploy_source_uploads.approval_request_id), a request's timeline finds the upload's event
 * through that binding.
 */
export const SOURCE_UPLOAD_AUDIT_FIELD = 'sourceUploadId';

export function sourceUploadLink(id: string): { sourceUploadId: string } {
  return { [SOURCE_UPLOAD_AUDIT_FIELD]: id } as { sourceUploadId: string };
}

/** SQL taking the upload id out of an audit event's details: the expression of the index of migration 1796185000000. */
export const sourceUploadIdInDetails = `substring(details from '"sourceUploadId":"([0-9a-f-]{36})"')`;
