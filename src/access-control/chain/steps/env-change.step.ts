import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../../audit/audit-recorder';
import { EnvChangeService } from '../../../proxy/env/env-change.service';
import { proxyRequestId } from '../../../proxy/http/proxy-request-id';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * After the audit-first step: a release carrying env is checked against the rack's current env (the only
 * step that talks to the rack, hence after the event is durable). Its refusals (protected key, missing
 * env/secret permission, a malformed form) complete the open event as denied with their own code; an
 * accepted change annotates that event with the key names it adds, changes and removes (never values).
 */
@Injectable()
export class EnvChangeStep implements AccessStep {
  readonly name = 'env-change';

  constructor(
    private readonly envChanges: EnvChangeService,
    private readonly audit: AuditRecorder,
  ) {}

  async check({ req }: AccessAttempt): Promise<void> {
    const authorized = req.convoxRoute;
    if (!authorized || !req.principal) return;
    const change = await this.envChanges.planRelease(req, req.principal, authorized, proxyRequestId(req));
    if (!change) return;
    req.rackBody = change.rackBody;
    if (change.keys) this.audit.annotate(change.keys, req);
  }
}
