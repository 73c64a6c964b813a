import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../access-control/principal';
import type { AuthorizedConvoxRoute } from '../rbac/convox-authorizer.service';
import { AuditService } from './audit.service';
import { commandDetailsOf } from './command-details';

/**
 * The event of a plain HTTP call to the rack, committed before anything talks to the rack (the access
 * chain's audit-first step awaits it and refuses with 503 if it fails). Its outcome (status, latency, bytes,
 * abort) is added by the request finisher when the response closes; the steps after it add what they learn
 * (the env keys a release changes) with `annotate`.
 */
@Injectable()
export class ProxyAudit {
  constructor(private readonly audit: AuditService) {}

  open(
    req: IncomingMessage,
    principal: Principal,
    route: AuthorizedConvoxRoute,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const resource = route.route.resource;
    return this.audit.record({
      action: route.permission ?? 'convox:probe:read',
      decision: 'allow',
      // A call a deploy approval let through says so (the gate put the request's id, or for a source upload
      // the upload's, in `extra`).
      rule:
        extra.approvalRequestId || extra.sourceUploadId
          ? 'deploy-approval'
          : route.permission
            ? grantRuleOf(principal)
            : 'probe',
      resourceType: resource?.type,
      resourceName: resource ? route.params[resource.param] : undefined,
      // The command `convox run` starts (redacted), and what earlier steps asked to have recorded.
      details: detailsOf({ ...commandDetailsOf(req.headers, this.audit.redactor), ...extra }),
      request: req,
    });
  }
}

/** Which grant let the call through: a token's own list, or the user's roles. */
export function grantRuleOf(principal: Principal): string {
  return principal.kind === 'token' ? 'token-permission' : `role:${principal.roles.join(',')}`;
}

function detailsOf(details: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(details).length > 0 ? details : undefined;
}
