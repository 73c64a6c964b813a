import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal';
import type { AuthorizedConvoxRoute } from '../rbac/convox-authorizer.service';
import { AuditRequestFinisher } from './audit-request-finisher';
import { bindAuditContext, newAuditContext } from './audit-request-context';
import { AuditService } from './audit.service';

/** A websocket session whose opening was audited; `close` records how it ended. */
export interface AuditedWebsocketSession {
  eventId: string;
  close(end: WebsocketSessionEnd): Promise<void>;
}

/** How a websocket session ended. `error` marks a failure; `endedBy` a session the gateway cut short. */
export interface WebsocketSessionEnd {
  exitCode?: number;
  bytesIn?: number;
  bytesOut?: number;
  /** What went wrong (the rack connection was lost …): the outcome is an error. */
  error?: string;
  /** The close the client was sent or sent, when it was not a plain normal closure. */
  closeCode?: number;
  /**
   * Access was taken away while it ran: who did it (null: the system), why (a stable code such as
   * `token_revoked`) and the permission lost, if that was it; the outcome is a denial.
   */
  endedBy?: { actor: string | null; cause: string; permission?: string };
}

/** The audit side of one websocket upgrade request, from its arrival until it is refused or upgraded. */
export interface AuditedUpgrade {
  /**
   * The upgrade was answered with `status` instead of 101. Every event recorded while deciding (a rejected
   * credential, the session's opening) is completed with it; a refusal that recorded nothing is recorded.
   */
  refused(status: number, error: string, details?: Record<string, unknown>): Promise<void>;
}

/**
 * For the websocket bridge (logs, exec, run), which never passes through Nest interceptors: one event at
 * open — awaited, so a session the audit log cannot record is refused — and its outcome at close.
 */
@Injectable()
export class WebsocketAuditService {
  constructor(
    private readonly audit: AuditService,
    private readonly finisher: AuditRequestFinisher,
  ) {}

  /**
   * Upgrades never pass the audit middleware, so the request gets its context here: events recorded for it
   * (by authentication, say) are linked to it and completed with the status the client got.
   */
  track(req: IncomingMessage): AuditedUpgrade {
    const ctx = newAuditContext(req);
    bindAuditContext(ctx);
    return {
      refused: (status, error, details) => {
        if (details) ctx.annotations = { ...ctx.annotations, ...details };
        return this.finisher.finishRefusedUpgrade(ctx, status, error);
      },
    };
  }

  async open(
    req: IncomingMessage,
    principal: Principal,
    route: AuthorizedConvoxRoute,
    details: { command?: string; processId?: string; approvalId?: string } = {},
  ): Promise<AuditedWebsocketSession> {
    const started = process.hrtime.bigint();
    const resource = route.route.resource;
    const eventId = await this.audit.record({
      action: route.permission ?? 'convox:probe:read',
      decision: 'allow',
      rule: details.approvalId
        ? 'deploy-approval'
        : principal.kind === 'token'
          ? 'token-permission'
          : `role:${principal.roles.join(',')}`,
      principal,
      resourceType: resource?.type,
      resourceName: resource ? route.params[resource.param] : undefined,
      app: route.params.app,
      details: {
        websocket: true,
        ...(details.command !== undefined ? { command: this.audit.redactor.command(details.command) } : {}),
        ...(details.processId ? { processId: details.processId } : {}),
        // The field every event about a deploy approval request carries (the approvals module's link).
        ...(details.approvalId ? { approvalRequestId: details.approvalId } : {}),
      },
      request: req,
    });
    return {
      eventId,
      close: (end) =>
        this.audit.complete(eventId, {
          status: 101,
          decision: end.error ? 'error' : end.endedBy ? 'deny' : undefined,
          latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
          bytesIn: end.bytesIn,
          bytesOut: end.bytesOut,
          details: {
            ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
            ...(end.error ? { error: end.error } : {}),
            ...(end.closeCode !== undefined ? { closeCode: end.closeCode } : {}),
            ...(end.endedBy
              ? {
                  endedBy: end.endedBy.actor ?? 'system',
                  endCause: end.endedBy.cause,
                  ...(end.endedBy.permission ? { permissionRevoked: end.endedBy.permission } : {}),
                }
              : {}),
          },
        }),
    };
  }
}
