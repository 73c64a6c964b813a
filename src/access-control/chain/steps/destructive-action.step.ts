import { Injectable } from '@nestjs/common';
import { DESTRUCTIVE_ACTIONS_DISABLED, isDestructiveRoute } from '../../../proxy/destructive-routes';
import { SettingsService } from '../../../settings/settings.service';
import { AccessRefusal } from '../../access-refusal';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * An allowed call on a destructive route (see destructive-routes.ts) is refused with 403 while
 * `proxy.allow_destructive_actions` is off, before anything reaches the rack. The decision names the
 * setting as its rule, so the audit trail says which policy stopped it, not just "403".
 */
@Injectable()
export class DestructiveActionStep implements AccessStep {
  readonly name = 'destructive-action';

  constructor(private readonly settings: SettingsService) {}

  async check({ req }: AccessAttempt): Promise<void> {
    const authorized = req.convoxRoute;
    if (!authorized || !isDestructiveRoute(authorized.route)) return;
    if (await this.settings.get('proxy.allow_destructive_actions')) return;
    throw new AccessRefusal(
      'destructive-action-disabled',
      { error: DESTRUCTIVE_ACTIONS_DISABLED },
      {
        rule: 'setting:proxy.allow_destructive_actions',
        ...(authorized.permission ? { permission: authorized.permission } : {}),
      },
    );
  }
}
