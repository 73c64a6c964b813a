import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { SettingsService } from '../settings/settings.service';
import { DESTRUCTIVE_ACTIONS_DISABLED, isDestructiveRoute } from './destructive-routes';
import type { ProxiedRequest } from './rack-proxy-request';

/**
 * After RbacGuard: an allowed call on a destructive route (see destructive-routes.ts) is refused with 403
 * while `proxy.allow_destructive_actions` is off, before anything reaches the rack. The refusal is
 * recorded here with its own rule, so the audit trail says which policy stopped it, not just "403".
 */
@Injectable()
export class DestructiveActionGuard implements CanActivate {
  constructor(
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ProxiedRequest>();
    const authorized = req.convoxRoute;
    if (!authorized || !isDestructiveRoute(authorized.route)) return true;
    if (await this.settings.get('proxy.allow_destructive_actions')) return true;
    const resource = authorized.route.resource;
    await this.audit
      .record({
        action: authorized.permission ?? 'convox:unknown:route',
        decision: 'deny',
        rule: 'setting:proxy.allow_destructive_actions',
        resourceType: resource?.type,
        resourceName: resource ? authorized.params[resource.param] : undefined,
        request: req,
      })
      .catch(() => {
        throw new HttpException({ error: 'audit log unavailable' }, HttpStatus.SERVICE_UNAVAILABLE);
      });
    throw new HttpException({ error: DESTRUCTIVE_ACTIONS_DISABLED }, HttpStatus.FORBIDDEN);
  }
}
