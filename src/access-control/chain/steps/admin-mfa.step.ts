import { Injectable } from '@nestjs/common';
import { MfaEnforcementService } from '../../../mfa/mfa-enforcement.service';
import { isMfaExemptPath, mfaCodeOf, mfaProofOf, trustedDeviceTokenOf } from '../../../mfa/mfa-request';
import { mfaLevelFor, type MfaLevel } from '../../../rbac/mfa-levels';
import { isKnownPermission } from '../../../rbac/permission-catalog';
import type { AccessAttempt, AccessStep } from '../access-attempt';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The gateway's own API: the MFA level of a state-changing route is that of its permission (or of the
 * permission its audit action names, for self-service routes) unless `@MfaLevel` says otherwise; reads need
 * none. Last on the admin chain: a request that may not proceed never costs a verification attempt.
 */
@Injectable()
export class AdminMfaStep implements AccessStep {
  readonly name = 'mfa';

  constructor(private readonly enforcement: MfaEnforcementService) {}

  async check({ req, url, declaration }: AccessAttempt): Promise<void> {
    if (!req.principal) return;
    const permission = declaration?.permission ?? declaration?.auditAction;
    const level: MfaLevel =
      declaration?.mfaLevel ??
      (SAFE.has(req.method ?? 'GET') || !permission || !isKnownPermission(permission)
        ? 'none'
        : mfaLevelFor(permission));
    const refusal = await this.enforcement.check({
      principal: req.principal,
      level,
      exemptFromLogin: isMfaExemptPath(url.split('?')[0]),
      code: mfaCodeOf(req.headers, req.inlineMfaCode),
      proof: mfaProofOf(req.headers),
      trustedDeviceToken: trustedDeviceTokenOf(req.headers),
      forProxy: false,
    });
    if (refusal) throw refusal;
  }
}
