import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Request, Response } from 'express';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiError } from '../access-control/api-error';
import type { Principal } from '../access-control/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { BackupCodesService } from './backup-codes.service';
import type { RegisterWebauthnDto, VerifyDto } from './dto/mfa.dto';
import { MfaActionProofsService } from './mfa-action-proofs.service';
import { MfaEnforcementService } from './mfa-enforcement.service';
import { MfaMethodsService } from './mfa-methods.service';
import { MfaPolicy } from './mfa-policy';
import { MfaSessionsService } from './mfa-sessions.service';
import { callerOf, MfaVerificationService } from './mfa-verification.service';
import { TotpService } from './totp.service';
import { TRUSTED_DEVICE_COOKIE, TrustedDevicesService } from './trusted-devices.service';
import { WebauthnService } from './webauthn.service';

/** The request-level MFA flows behind the controllers: enrolment, verification, backup codes. */
@Injectable()
export class MfaFlowService {
  constructor(
    private readonly users: UsersService,
    private readonly policy: MfaPolicy,
    private readonly totp: TotpService,
    private readonly webauthn: WebauthnService,
    private readonly backupCodes: BackupCodesService,
    private readonly verification: MfaVerificationService,
    private readonly enforcement: MfaEnforcementService,
    private readonly sessions: MfaSessionsService,
    private readonly trustedDevices: TrustedDevicesService,
    private readonly methods: MfaMethodsService,
    private readonly proofs: MfaActionProofsService,
    private readonly audit: AuditRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(principal: Principal, body: VerifyDto, req: Request, res: Response) {
    if (body.code === undefined && body.webauthn === undefined)
      throw apiError(HttpStatus.BAD_REQUEST, 'code_or_webauthn_required', 'send `code` or `webauthn`');
    if (body.webauthn) await this.verification.verifyWebauthn(principal, body.webauthn);
    else await this.verification.verifyCode(principal, body.code!);
    const trustedDevice = body.trustDevice ? await this.trustBrowser(principal, req, res) : undefined;
    return { verified: true, stepUpExpiresAt: await this.stepUpExpiry(principal), trustedDevice };
  }

  async authenticationOptions(principal: Principal, cliOnly: boolean) {
    const user = await this.person(principal);
    return this.webauthn.authenticationOptions(callerOf(principal, user), cliOnly);
  }

  /** A challenge whose assertion buys a proof for one `always` request (see MfaActionProofsService). */
  async actionOptions(principal: Principal, cliOnly: boolean) {
    const user = await this.person(principal);
    return this.webauthn.authenticationOptions(callerOf(principal, user), cliOnly, 'action');
  }

  /** Verifies the assertion (limits, lockout, counter) and hands back the single-use proof. */
  async actionProof(principal: Principal, webauthn: AuthenticationResponseJSON) {
    await this.person(principal);
    const method = await this.verification.verifyWebauthn(principal, webauthn, 'action');
    const issued = await this.proofs.issue(principal, 'passkey', method.id);
    return { ...issued, stepUpExpiresAt: await this.stepUpExpiry(principal) };
  }

  async regenerateBackupCodes(principal: Principal) {
    const user = await this.person(principal);
    if (!(await this.enforcement.isEnrolled(user.id)))
      throw apiError(HttpStatus.CONFLICT, 'not_enrolled', 'enrol a factor before asking for backup codes');
    return { backupCodes: await this.backupCodes.regenerate(user.id) };
  }

  async startTotp(principal: Principal, label: string | undefined) {
    const user = await this.person(principal);
    return this.totp.start(user.id, user.email, label ?? 'Authenticator app');
  }

  async confirmTotp(principal: Principal, methodId: string, code: string) {
    const user = await this.person(principal);
    const wasEnrolled = await this.enforcement.isEnrolled(user.id);
    const method = await this.totp.confirm(user.id, methodId, code);
    if (!method)
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'invalid_code',
        'the code does not match; check the clock of the device and try the next code',
      );
    return this.enrolled(principal, user, method.id, 'totp', wasEnrolled);
  }

  async webauthnRegistrationOptions(principal: Principal) {
    const user = await this.person(principal);
    return this.webauthn.registrationOptions(callerOf(principal, user));
  }

  async registerWebauthn(principal: Principal, body: RegisterWebauthnDto) {
    const user = await this.person(principal);
    const wasEnrolled = await this.enforcement.isEnrolled(user.id);
    const method = await this.webauthn.register(
      callerOf(principal, user),
      body.response,
      body.label ?? 'Security key',
      body.cliCapable === true,
    );
    return this.enrolled(principal, user, method.id, 'webauthn', wasEnrolled);
  }

  /** A confirmed factor proves possession now; the first one also brings the backup codes (shown once). */
  private async enrolled(
    principal: Principal,
    user: UserEntity,
    methodId: string,
    kind: string,
    wasEnrolled: boolean,
  ) {
    await this.sessions.markVerified(principal.sessionId!);
    await this.methods.ensurePreferred(user.id);
    this.audit.annotate({ methodId, kind, firstFactor: !wasEnrolled });
    const backupCodes = wasEnrolled ? undefined : await this.backupCodes.regenerate(user.id);
    return { methodId, kind, backupCodes, stepUpExpiresAt: await this.stepUpExpiry(principal) };
  }

  private async trustBrowser(principal: Principal, req: Request, res: Response) {
    if (principal.channel !== 'web')
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'trust_device_browser_only',
        'only a browser session can be trusted',
      );
    const { trustedDeviceTtlSeconds } = await this.policy.settings();
    if (trustedDeviceTtlSeconds <= 0)
      throw apiError(HttpStatus.BAD_REQUEST, 'trusted_devices_disabled', 'trusted devices are turned off');
    const { token, device } = await this.trustedDevices.create(
      principal.userId,
      String(req.headers['user-agent'] ?? 'browser'),
      trustedDeviceTtlSeconds,
    );
    res.cookie(TRUSTED_DEVICE_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.mode === 'production',
      maxAge: trustedDeviceTtlSeconds * 1000,
    });
    await this.audit.record({
      action: 'mfa:trusted_device_add',
      decision: 'allow',
      principal,
      resourceType: 'trusted_device',
      resourceName: device.id,
      request: req,
    });
    return { id: device.id, expiresAt: device.expiresAt.toISOString() };
  }

  private async stepUpExpiry(principal: Principal): Promise<string | undefined> {
    const { stepUpWindowSeconds } = await this.policy.settings();
    const state = await this.sessions.find(principal.sessionId!);
    return this.sessions.stepUpExpiresAt(state, stepUpWindowSeconds)?.toISOString();
  }

  private async person(principal: Principal): Promise<UserEntity> {
    if (principal.kind !== 'user' || !principal.sessionId)
      throw apiError(
        HttpStatus.FORBIDDEN,
        'mfa_requires_session',
        'MFA is for people logged in with a session, not API tokens',
      );
    const user = await this.users.findById(principal.userId);
    if (!user) throw apiError(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'the session user is gone');
    return user;
  }
}
