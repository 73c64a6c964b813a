import { Injectable } from '@nestjs/common';
import { MfaEnforcementService } from '../../../mfa/mfa-enforcement.service';
import { mfaCodeOf, mfaProofOf, trustedDeviceTokenOf } from '../../../mfa/mfa-request';
import { mfaLevelFor } from '../../../rbac/mfa-levels';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/** The rack proxy: the MFA level of the matched route's permission. */
@Injectable()
export class RackMfaStep implements AccessStep {
  readonly name = 'rack-mfa';

  constructor(private readonly enforcement: MfaEnforcementService) {}

  async check({ req }: AccessAttempt): Promise<void> {
    if (!req.principal) return;
    const refusal = await this.enforcement.check({
      principal: req.principal,
      level: mfaLevelFor(req.convoxRoute?.permission ?? null),
      exemptFromLogin: false,
      code: mfaCodeOf(req.headers, req.inlineMfaCode),
      proof: mfaProofOf(req.headers),
      trustedDeviceToken: trustedDeviceTokenOf(req.headers),
      forProxy: true,
    });
    if (refusal) throw refusal;
  }
}
