import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AUDIT_ACTION } from '../audit/audit-action.decorator';
import type { MaybeAuthenticatedRequest } from '../auth/authenticated-request';
import { REQUIRED_PERMISSION } from '../auth/require-permission.decorator';
import { PROXY_PREFIX } from '../proxy/proxy-prefix';
import { mfaLevelFor, type MfaLevel } from '../rbac/mfa-levels';
import { isKnownPermission } from '../rbac/permission-catalog';
import { MfaEnforcementService } from './mfa-enforcement.service';
import { MFA_LEVEL } from './mfa-level.decorator';
import { MFA_REQUIRED_HEADER, MfaRefusal } from './mfa-refusal';
import { isMfaExemptPath, mfaCodeOf, trustedDeviceTokenOf } from './mfa-request';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global, after the permission guard, for the gateway's own API. The level of a state-changing route is
 * that of its permission (or of the permission its audit action names, for self-service routes); reads
 * are `none`. The rack proxy is checked by MfaRackGuard once the route is known.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly enforcement: MfaEnforcementService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<MaybeAuthenticatedRequest>();
    if (!req.principal || req.originalUrl.startsWith(PROXY_PREFIX)) return true;
    const targets = [context.getHandler(), context.getClass()];
    const declared = this.reflector.getAllAndOverride<MfaLevel | undefined>(MFA_LEVEL, targets);
    const permission =
      this.reflector.getAllAndOverride<string | undefined>(REQUIRED_PERMISSION, targets) ??
      this.reflector.getAllAndOverride<string | undefined>(AUDIT_ACTION, targets);
    const level =
      declared ??
      (SAFE.has(req.method) || !permission || !isKnownPermission(permission)
        ? 'none'
        : mfaLevelFor(permission));
    await enforce(this.enforcement, req, context.switchToHttp().getResponse<Response>(), level, false);
    return true;
  }
}

/** Runs the check and throws the refusal with its X-MFA-Required header. */
export async function enforce(
  enforcement: MfaEnforcementService,
  req: MaybeAuthenticatedRequest,
  res: Response,
  level: MfaLevel,
  forProxy: boolean,
): Promise<void> {
  const refusal = await enforcement.check({
    principal: req.principal!,
    level,
    exemptFromLogin: !forProxy && isMfaExemptPath(req.path),
    code: mfaCodeOf(req.headers, req.inlineMfaCode),
    trustedDeviceToken: trustedDeviceTokenOf(req.headers),
    forProxy,
  });
  if (refusal) throw withHeader(refusal, res);
}

function withHeader(refusal: MfaRefusal, res: Response): MfaRefusal {
  res.setHeader(MFA_REQUIRED_HEADER, refusal.requirement);
  return refusal;
}
