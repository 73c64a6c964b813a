import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/principal';
import type { MaybeAuthenticatedRequest } from '../auth/authenticated-request';
import { mfaLevelFor } from '../rbac/mfa-levels';
import type { RackProxyRequest } from '../rbac/rbac.guard';
import { MfaEnforcementService } from './mfa-enforcement.service';
import type { MfaRefusal } from './mfa-refusal';
import { mfaCodeOf } from './mfa-request';
import { enforce } from './mfa.guard';

/** After RbacGuard on the rack proxy: the MFA level of the matched route's permission. */
@Injectable()
export class MfaRackGuard implements CanActivate {
  constructor(private readonly enforcement: MfaEnforcementService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RackProxyRequest & MaybeAuthenticatedRequest>();
    if (!req.principal) return false;
    const level = mfaLevelFor(req.convoxRoute?.permission);
    await enforce(this.enforcement, req, context.switchToHttp().getResponse<Response>(), level, true);
    return true;
  }
}

/** The same check for a websocket upgrade on the rack proxy (no Express request there). */
export function upgradeMfaCheck(
  enforcement: MfaEnforcementService,
  principal: Principal,
  headers: IncomingHttpHeaders,
  inlineCode: string | undefined,
  permission: string | null,
): Promise<MfaRefusal | undefined> {
  return enforcement.check({
    principal,
    level: mfaLevelFor(permission),
    exemptFromLogin: false,
    code: mfaCodeOf(headers, inlineCode),
    forProxy: true,
  });
}
