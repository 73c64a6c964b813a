import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal';
import type { AuthorizedConvoxRoute } from '../rbac/convox-authorizer.service';
import { AuditService } from './audit.service';

/** A websocket session whose opening was audited; `close` records how it ended. */
export interface AuditedWebsocketSession {
  eventId: string;
  close(end: { exitCode?: number; bytesIn?: number; bytesOut?: number; error?: string }): Promise<void>;
}

/**
 * For the websocket bridge (logs, exec, run), which never passes through Nest interceptors: one event at
 * open — awaited, so a session the audit log cannot record is refused — and its outcome at close.
 */
@Injectable()
export class WebsocketAuditService {
  constructor(private readonly audit: AuditService) {}

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
      rule: principal.kind === 'token' ? 'token-permission' : `role:${principal.roles.join(',')}`,
      principal,
      resourceType: resource?.type,
      resourceName: resource ? route.params[resource.param] : undefined,
      app: route.params.app,
      details: {
        websocket: true,
        ...(details.command !== undefined ? { command: this.audit.redactor.command(details.command) } : {}),
        ...(details.processId ? { processId: details.processId } : {}),
        ...(details.approvalId ? { approvalId: details.approvalId } : {}),
      },
      request: req,
    });
    return {
      eventId,
      close: (end) =>
        this.audit.complete(eventId, {
          status: 101,
          decision: end.error ? 'error' : undefined,
          latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
          bytesIn: end.bytesIn,
          bytesOut: end.bytesOut,
          details: {
            ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
            ...(end.error ? { error: end.error } : {}),
          },
        }),
    };
  }
}
