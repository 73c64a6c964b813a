import { Injectable } from '@nestjs/common';
import { auditContextFor } from '../../../audit/audit-request-context';
import { ProxyAudit } from '../../../audit/proxy-audit';
import { WebsocketAuditService } from '../../../audit/websocket-audit.service';
import { accessRecordOf } from '../../access-record';
import { AccessRefusal } from '../../access-refusal';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * Audit first: the rack call's event is committed before anything talks to the rack. If it cannot be
 * written the call is refused with 503 `{"error":"audit log unavailable"}` and reaches nothing. A websocket
 * gets its session event (completed when the session ends); a plain call gets its outcome when the
 * response closes. A client that left while the event was written is not forwarded.
 */
@Injectable()
export class AuditFirstStep implements AccessStep {
  readonly name = 'audit-first';

  constructor(
    private readonly proxyAudit: ProxyAudit,
    private readonly websocketAudit: WebsocketAuditService,
  ) {}

  async check({ req, transport }: AccessAttempt): Promise<void> {
    const principal = req.principal;
    const route = req.convoxRoute;
    if (!principal || !route)
      throw new AccessRefusal('unauthenticated', { error: 'authentication required' });
    const extra = accessRecordOf(req).eventDetails ?? {};
    const ctx = auditContextFor(req);
    try {
      if (transport === 'websocket') {
        const command = req.headers.command;
        req.websocketSession = await this.websocketAudit.open(req, principal, route, {
          command: typeof command === 'string' ? command : undefined,
          processId: route.params.pid,
          approvalId: typeof extra.approvalId === 'string' ? extra.approvalId : undefined,
        });
      } else {
        const written = this.proxyAudit.open(req, principal, route, extra);
        // The write is registered with the request's context: a connection already gone settles it.
        ctx?.markDecided();
        await written;
      }
    } catch (cause) {
      throw new AccessRefusal('audit-unavailable', { error: 'audit log unavailable' }, { cause });
    }
    accessRecordOf(req).eventOpened = true;
    // The HTTP parser may have refused the body (or the client left) while the event was written: the
    // event gets the request's outcome, and nothing is forwarded.
    if (ctx?.closed) throw new AccessRefusal('client-gone', { error: 'client closed the request' });
  }
}
