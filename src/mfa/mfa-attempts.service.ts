import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiError } from '../access-control/api-error';
import type { Principal } from '../access-control/principal';
import { NotificationsService } from '../notifications/notifications.service';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { FactorFamily, MfaAttemptEntity } from './entities/mfa-attempt.entity';
import { MFA_ATTEMPT_WINDOW_MS, MFA_MAX_FAILURES } from './mfa-policy';

export const AUTO_LOCK_REASON = `Automatic lock: ${MFA_MAX_FAILURES} failed MFA verifications within 5 minutes`;

/**
 * Limits and lockout. Only failures count (a success never uses up the allowance): at most
 * MFA_MAX_FAILURES per user per factor family in five minutes, and the failure that reaches the limit locks
 * the account until an admin unlocks it. Every attempt is an audit event; a lock is also logged, and notified
 * (email to the user and every admin, Slack, webhook) through the notification channels.
 */
@Injectable()
export class MfaAttemptsService {
  private readonly logger = new Logger('MFA');

  constructor(
    @InjectRepository(MfaAttemptEntity) private readonly attempts: Repository<MfaAttemptEntity>,
    private readonly users: UsersService,
    private readonly audit: AuditRecorder,
    private readonly notifications: NotificationsService,
  ) {}

  /** Refuses before any check when the user is locked or has used up this family's allowance. */
  async assertMayAttempt(user: UserEntity, family: FactorFamily): Promise<void> {
    if (user.lockedAt)
      throw apiError(HttpStatus.FORBIDDEN, 'user_locked', 'this account is locked; ask an administrator');
    const failures = await this.recentFailures(user.id, family);
    if (failures >= MFA_MAX_FAILURES) {
      throw apiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'mfa_attempts_exceeded',
        'too many failed verifications; try again in 5 minutes',
      );
    }
  }

  async succeeded(
    principal: Principal,
    family: FactorFamily,
    method: string,
    purpose?: string,
  ): Promise<void> {
    await this.attempts.insert({ userId: principal.userId, family, success: true, reason: method });
    await this.audit.record({
      action: 'mfa:verify',
      decision: 'allow',
      principal,
      rule: method,
      details: { family, method, ...(purpose ? { purpose } : {}) },
    });
  }

  /** Records a failure; throws the refusal the caller shows (locking the account on the last allowed failure). */
  async failed(principal: Principal, family: FactorFamily, reason: string): Promise<never> {
    await this.attempts.insert({ userId: principal.userId, family, success: false, reason });
    await this.audit.record({
      action: 'mfa:verify_failed',
      decision: 'deny',
      principal,
      rule: reason,
      details: { family },
    });
    if ((await this.recentFailures(principal.userId)) >= MFA_MAX_FAILURES) {
      await this.lock(principal);
      throw apiError(
        HttpStatus.FORBIDDEN,
        'user_locked',
        'too many failed verifications: this account is now locked; ask an administrator to unlock it',
      );
    }
    throw apiError(
      HttpStatus.UNAUTHORIZED,
      'mfa_verification_failed',
      family === 'webauthn'
        ? 'the security key assertion was not accepted'
        : 'the code is wrong, expired or already used',
    );
  }

  private async lock(principal: Principal): Promise<void> {
    const admins = (await this.users.list({ role: 'admin' })).map((u) => u.email);
    const recipients = [...new Set([principal.email, ...admins])];
    const notice = { user: principal.email, reason: AUTO_LOCK_REASON, occurredAt: new Date().toISOString() };
    // The notice's jobs are written in the locking transaction: no lock goes untold after a crash.
    await this.users.lock(principal.email, AUTO_LOCK_REASON, 'system:mfa', (manager) =>
      this.notifications.accountLocked(notice, recipients, manager),
    );
    await this.audit.record({
      action: 'mfa:account_locked',
      decision: 'deny',
      principal,
      rule: 'mfa-failures',
      resourceType: 'user',
      resourceName: principal.email,
      details: { reason: AUTO_LOCK_REASON },
    });
    this.logger.warn(
      { user: principal.email, notify: recipients, reason: AUTO_LOCK_REASON },
      `account ${principal.email} locked after ${MFA_MAX_FAILURES} failed MFA verifications; notifying ${recipients.join(', ')}`,
    );
  }

  private recentFailures(userId: string, family?: FactorFamily): Promise<number> {
    return this.attempts.count({
      where: {
        userId,
        success: false,
        attemptedAt: MoreThan(new Date(Date.now() - MFA_ATTEMPT_WINDOW_MS)),
        ...(family ? { family } : {}),
      },
    });
  }
}
