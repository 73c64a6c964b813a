import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../../audit/audit-recorder';
import { DESTRUCTIVE_ACTIONS_DISABLED, isDestructiveRoute } from '../../../proxy/destructive-routes';
import { SettingsService } from '../../../settings/settings.service';
import { accessRecordOf } from '../../access-record';
import { AccessRefusal } from '../../access-refusal';
import type { AccessAttempt, AccessStep } from '../access-attempt';

const RULE = 'setting:proxy.allow_destructive_actions';

/**
 * An allowed call on a destructive route (see destructive-routes.ts) is refused with 403 while
 * `proxy.allow_destructive_actions` is off, before anything reaches the rack. The refusal is committed to the
 * audit trail before it is answered (503 if it cannot be), with the setting as its rule, so the trail says
 * which policy stopped the call, not just "403".
 */
@Injectable()
export class DestructiveActionStep implements AccessStep {
  readonly name = 'destructive-action';

  constructor(
    private readonly settings: SettingsService,
    private readonly audit: AuditRecorder,
  ) {}

  async check({ req }: AccessAttempt): Promise<void> {
    const authorized = req.convoxRoute;
    if (!authorized || !isDestructiveRoute(authorized.route)) return;
    if (await this.settings.get('proxy.allow_destructive_actions')) return;
    const target = accessRecordOf(req).target;
    await this.audit
      .record({
        action: target?.action ?? 'convox:unknown:route',
        decision: 'deny',
        rule: RULE,
        resourceType: target?.resourceType,
        resourceName: target?.resourceName,
        request: req,
      })
      .catch((cause: unknown) => {
        throw new AccessRefusal('audit-unavailable', { error: 'audit log unavailable' }, { cause });
      });
    throw new AccessRefusal(
      'destructive-action-disabled',
      { error: DESTRUCTIVE_ACTIONS_DISABLED },
      { rule: RULE, ...(authorized.permission ? { permission: authorized.permission } : {}) },
    );
  }
}
