import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { EMPTY, from, Observable, switchMap } from 'rxjs';
import type { RackProxyRequest } from '../rbac/rbac.guard';
import { auditContextFor } from './audit-request-context';
import { AuditService } from './audit.service';
import { commandDetailsOf } from './command-details';

/**
 * For the rack proxy controller, after RbacGuard. The event is committed before the handler streams
 * anything upstream; if it cannot be, the call is refused with 503 `{"error":"audit log unavailable"}`
 * and reaches nothing. The outcome (status, latency, bytes, abort) is added when the response closes.
 */
@Injectable()
export class ProxyAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context
      .switchToHttp()
      .getRequest<RackProxyRequest & { auditDetails?: Record<string, unknown> }>();
    const route = req.convoxRoute;
    const resource = route?.route.resource;
    const recorded = this.audit
      .record({
        action: route?.permission ?? 'convox:probe:read',
        decision: 'allow',
        rule: route?.permission ? ruleFor(req) : 'probe',
        resourceType: resource?.type,
        resourceName: resource ? route?.params[resource.param] : undefined,
        // The command `convox run` starts, and what the proxy's guards set, e.g. the env keys a release
        // changes (names only).
        details: detailsOf({ ...commandDetailsOf(req.headers, this.audit.redactor), ...req.auditDetails }),
        request: req,
      })
      .catch((cause: unknown) => {
        throw new HttpException({ error: 'audit log unavailable' }, HttpStatus.SERVICE_UNAVAILABLE, {
          cause,
        });
      });
    // The write is registered with the request's context: a connection that is already gone settles it.
    auditContextFor(req)?.markDecided();
    // Forward only if the connection outlived the write (the HTTP parser may have refused the body by now);
    // the event gets the request's outcome either way.
    return from(recorded).pipe(switchMap(() => (auditContextFor(req)?.closed ? EMPTY : next.handle())));
  }
}

/** Which grant let the call through: a token's own list, or the user's roles. */
function ruleFor(req: RackProxyRequest): string {
  const principal = req.principal;
  if (!principal) return 'unknown';
  if (req.deployApproval) return 'deploy-approval';
  return principal.kind === 'token' ? 'token-permission' : `role:${principal.roles.join(',')}`;
}

function detailsOf(details: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(details).length > 0 ? details : undefined;
}
