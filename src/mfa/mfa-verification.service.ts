import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { apiError } from '../access-control/api-error';
import type { Principal } from '../access-control/principal';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { BackupCodesService } from './backup-codes.service';
import { MfaAttemptsService } from './mfa-attempts.service';
import { MfaSessionsService } from './mfa-sessions.service';
import { TotpService } from './totp.service';
import type { MfaMethodEntity } from './entities/mfa-method.entity';
import { type AssertionPurpose, WebauthnService } from './webauthn.service';

/**
 * One fresh verification of a person: a TOTP code, a backup code or a WebAuthn assertion. Limits and
 * lockout come first; success marks the session verified and opens its step-up window.
 */
@Injectable()
export class MfaVerificationService {
  constructor(
    private readonly users: UsersService,
    private readonly totp: TotpService,
    private readonly backupCodes: BackupCodesService,
    private readonly webauthn: WebauthnService,
    private readonly attempts: MfaAttemptsService,
    private readonly sessions: MfaSessionsService,
  ) {}

  /** A TOTP code or a backup code; returns which kind worked. Throws the refusal otherwise. */
  async verifyCode(principal: Principal, code: string): Promise<'totp' | 'backup_code'> {
    const user = await this.personOf(principal);
    await this.attempts.assertMayAttempt(user, 'code');
    const kind = (await this.totp.verify(user.id, code))
      ? 'totp'
      : (await this.backupCodes.consume(user.id, code))
        ? 'backup_code'
        : undefined;
    if (!kind) return this.attempts.failed(principal, 'code', 'invalid_code');
    await this.succeed(principal, 'code', kind);
    return kind;
  }

  /** A passkey assertion for an outstanding challenge of this purpose; returns the passkey that made it. */
  async verifyWebauthn(
    principal: Principal,
    response: AuthenticationResponseJSON,
    purpose: AssertionPurpose = 'authentication',
  ): Promise<MfaMethodEntity> {
    const user = await this.personOf(principal);
    await this.attempts.assertMayAttempt(user, 'webauthn');
    const result = await this.webauthn.authenticate(callerOf(principal, user), response, purpose);
    if (!result.method)
      return this.attempts.failed(principal, 'webauthn', result.failure ?? 'assertion_invalid');
    await this.succeed(principal, 'webauthn', 'webauthn', purpose);
    return result.method;
  }

  private async succeed(
    principal: Principal,
    family: 'code' | 'webauthn',
    method: string,
    purpose?: AssertionPurpose,
  ): Promise<void> {
    await this.attempts.succeeded(principal, family, method, purpose);
    if (principal.sessionId) await this.sessions.markVerified(principal.sessionId);
  }

  private async personOf(principal: Principal): Promise<UserEntity> {
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

export function callerOf(principal: Principal, user: { id: string; email: string; name: string }) {
  return { userId: user.id, sessionId: principal.sessionId!, email: user.email, name: user.name };
}
