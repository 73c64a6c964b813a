import { Injectable } from '@nestjs/common';
import type { Principal } from '../access-control/principal';
import { BackupCodesService } from './backup-codes.service';
import { MfaEnforcementService } from './mfa-enforcement.service';
import { MfaMethodsService, type MfaMethodView } from './mfa-methods.service';
import { MfaPolicy } from './mfa-policy';
import { MfaSessionsService } from './mfa-sessions.service';

export interface MfaStatus {
  /** Does MFA apply to this person (required of everyone, or they enrolled)? */
  required: boolean;
  enrolled: boolean;
  methods: MfaMethodView[];
  /** The method challenges open on (absent until a first factor is enrolled). */
  preferredMethodId?: string;
  preferredMethod?: string;
  /** This session passed the login challenge. */
  verified: boolean;
  stepUpExpiresAt?: string;
  stepUpWindowSeconds: number;
  backupCodes: { total: number; unused: number };
}

/** What /me and GET /mfa say about the caller's MFA (API tokens: nothing applies). */
@Injectable()
export class MfaStatusService {
  constructor(
    private readonly policy: MfaPolicy,
    private readonly enforcement: MfaEnforcementService,
    private readonly methods: MfaMethodsService,
    private readonly sessions: MfaSessionsService,
    private readonly backupCodes: BackupCodesService,
  ) {}

  async statusFor(principal: Principal): Promise<MfaStatus | undefined> {
    if (principal.kind !== 'user') return undefined;
    const settings = await this.policy.settings();
    const methods = await this.methods.list(principal.userId);
    const preferred = methods.find((m) => m.preferred);
    const state = principal.sessionId ? await this.sessions.find(principal.sessionId) : null;
    return {
      required: settings.requireAllUsers || methods.length > 0,
      enrolled: methods.length > 0,
      methods,
      preferredMethodId: preferred?.id,
      preferredMethod: preferred?.kind,
      verified: Boolean(state?.verifiedAt),
      stepUpExpiresAt: this.sessions.stepUpExpiresAt(state, settings.stepUpWindowSeconds)?.toISOString(),
      stepUpWindowSeconds: settings.stepUpWindowSeconds,
      backupCodes: await this.backupCodes.summary(principal.userId),
    };
  }
}
