import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import type { Principal } from '../access-control/principal';
import type { MfaLevel } from '../rbac/mfa-levels';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { MfaPolicy } from './mfa-policy';
import { MfaActionProofsService } from './mfa-action-proofs.service';
import { mfaRefusal, tokenCannotRefusal, type MfaRefusal } from './mfa-refusal';
import { MfaSessionsService } from './mfa-sessions.service';
import { MfaVerificationService } from './mfa-verification.service';
import { TrustedDevicesService } from './trusted-devices.service';

export interface MfaCheckInput {
  principal: Principal;
  level: MfaLevel;
  /** MFA routes, /me and logout: reachable before enrolment and before the login challenge. */
  exemptFromLogin: boolean;
  /** A code sent with the request (inline in the credential or the X-MFA-Code header). */
  code?: string;
  /** A single-use passkey proof sent with the request (the X-MFA-Proof header). */
  proof?: string;
  /** The trusted-device cookie, if the browser sent one. */
  trustedDeviceToken?: string;
  forProxy: boolean;
}

/**
 * The one MFA decision, used by the HTTP guards and the websocket upgrade. MFA applies to a person when the
 * setting requires it of everyone or when they have enrolled a factor (enrolling is a promise to be asked).
 * API tokens are never asked, and can never do an `always` action. A code sent with the request is checked
 * only when something is owed, so a CLI command repeating it on every call within the window does not
 * trip replay refusal; an `always` action always checks it. A passkey proof (X-MFA-Proof) stands in for a
 * code: spent only when something is owed, and then gone.
 */
@Injectable()
export class MfaEnforcementService {
  constructor(
    @InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>,
    private readonly policy: MfaPolicy,
    private readonly sessions: MfaSessionsService,
    private readonly verification: MfaVerificationService,
    private readonly trustedDevices: TrustedDevicesService,
    private readonly proofs: MfaActionProofsService,
  ) {}

  /** Undefined when the request may go on; otherwise the refusal to throw. Verification failures throw. */
  async check(input: MfaCheckInput): Promise<MfaRefusal | undefined> {
    const { principal, level } = input;
    if (principal.kind === 'token')
      return level === 'always' ? tokenCannotRefusal(input.forProxy) : undefined;
    if (!principal.sessionId) return undefined;
    const settings = await this.policy.settings();
    const enrolled = await this.isEnrolled(principal.userId);
    if (!settings.requireAllUsers && !enrolled) return undefined;
    if (!enrolled) return input.exemptFromLogin ? undefined : mfaRefusal('enrollment', input.forProxy);

    let state = await this.sessions.find(principal.sessionId);
    const stepUpOpen = this.sessions.stepUpExpiresAt(state, settings.stepUpWindowSeconds) !== undefined;
    const owes =
      level === 'always' ||
      (!state?.verifiedAt && !input.exemptFromLogin) ||
      (level === 'step_up' && !stepUpOpen);
    if (input.code && owes) {
      await this.verification.verifyCode(principal, input.code);
      return undefined;
    }
    if (input.proof && owes) {
      await this.proofs.consume(principal, input.proof);
      return undefined;
    }
    if (!state?.verifiedAt && input.trustedDeviceToken && settings.trustedDeviceTtlSeconds > 0) {
      const device = await this.trustedDevices.findLive(principal.userId, input.trustedDeviceToken);
      if (device) {
        await this.sessions.markTrustedDeviceLogin(principal.sessionId, device.id);
        state = await this.sessions.find(principal.sessionId);
      }
    }
    if (!state?.verifiedAt && !input.exemptFromLogin) return mfaRefusal('login', input.forProxy);
    if (level === 'always') return mfaRefusal('always', input.forProxy);
    if (level === 'step_up' && !stepUpOpen) return mfaRefusal('step_up', input.forProxy);
    return undefined;
  }

  isEnrolled(userId: string): Promise<boolean> {
    return this.methods.exists({ where: { userId, confirmedAt: Not(IsNull()) } });
  }
}
