import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'rgw:auditAction';

/**
 * Names the audited action of a route whose permission decorator does not (routes open to any
 * authenticated principal, such as revoking one's own token). Routes with `@RequirePermission` are
 * audited under that permission without this.
 */
export const AuditAction = (action: string) => SetMetadata(AUDIT_ACTION, action);

/** Keeps a state-changing route out of the generic admin audit because it records its own events. */
export const AUDIT_SKIP = 'rgw:auditSkip';
export const SkipAdminAudit = () => SetMetadata(AUDIT_SKIP, true);
