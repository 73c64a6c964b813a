import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import type { AuditSnapshot } from './audit-snapshot';

export const AUDIT_ACTION = 'rgw:auditAction';
export const AUDIT_RESOURCE_TYPE = 'rgw:auditResourceType';

/**
 * Names the audited action of a state-changing route (and, optionally, what its first route parameter
 * names: `session`, `token` …). Needed where the permission decorator does not say it — routes open to any
 * authenticated principal, such as revoking one's own token — and wherever the permission alone would
 * name the action less precisely. The admin interceptor records exactly one event per call under this
 * name; services add what they learn with `AuditRecorder.annotate` instead of recording their own.
 */
export const AuditAction = (action: string, resourceType?: string) =>
  applyDecorators(
    SetMetadata(AUDIT_ACTION, action),
    ...(resourceType ? [SetMetadata(AUDIT_RESOURCE_TYPE, resourceType)] : []),
  );

/** Keeps a state-changing route out of the generic admin audit because it records its own events. */
export const AUDIT_SKIP = 'rgw:auditSkip';
export const SkipAdminAudit = () => SetMetadata(AUDIT_SKIP, true);

export const AUDIT_SNAPSHOT = 'rgw:auditSnapshot';

/**
 * Names how to read the state of what this admin route changes (a provider of any module). The admin
 * interceptor records the state before the handler runs and after it, so the route's one event holds
 * both: who had which roles before and after, what a deleted user or revoked token was.
 */
export const AuditChange = (snapshot: Type<AuditSnapshot>) => SetMetadata(AUDIT_SNAPSHOT, snapshot);
