import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { verifierMatchesChallenge } from '../access-control/pkce';
import type { Principal } from '../access-control/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { SessionEntity } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { MfaCliApprovalEntity } from './entities/mfa-cli-approval.entity';
import { MfaActionProofsService } from './mfa-action-proofs.service';
import { MfaSessionsService } from './mfa-sessions.service';
import { MfaVerificationService } from './mfa-verification.service';

const APPROVAL_TTL_MS = 5 * 60_000;

/** The console page the CLI opens (the old `/api/v1/mfa/cli-approvals/:id` link redirects there). */
export const CLI_MFA_CONSOLE_PATH = '/app/cli-mfa';

/** A pending approval with the CLI session that asked (gone only if that session was deleted meanwhile). */
export interface PendingCliApproval {
  approval: MfaCliApprovalEntity;
  cliSession: SessionEntity | null;
}

/**
 * Step-up for the CLI through the browser, for people whose only factor is a browser passkey: the CLI
 * opens a console page where the same person approves with the passkey (or denies a request they did not
 * start), and polls with a verifier only it holds; once approved, the CLI session counts as freshly
 * verified (like a code would), and the poll also hands back a single-use proof for this CLI session, so
 * the one `always` action that asked (approving a deploy, changing a role) can be retried with it
 * (`X-MFA-Proof`).
 */
@Injectable()
export class MfaCliApprovalService {
  constructor(
    @InjectRepository(MfaCliApprovalEntity) private readonly approvals: Repository<MfaCliApprovalEntity>,
    private readonly verification: MfaVerificationService,
    private readonly sessions: MfaSessionsService,
    private readonly userSessions: SessionsService,
    private readonly proofs: MfaActionProofsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(cli: Principal, codeChallenge: string) {
    if (cli.kind !== 'user' || cli.channel !== 'cli' || !cli.sessionId)
      throw apiError(
        HttpStatus.FORBIDDEN,
        'cli_session_required',
        'only a CLI session can ask for a browser approval',
      );
    const now = new Date();
    const approval = this.approvals.create({
      userId: cli.userId,
      sessionId: cli.sessionId,
      codeChallenge,
      status: 'pending',
      createdAt: now,
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS),
    });
    await this.approvals.insert(approval);
    return {
      id: approval.id,
      browserUrl: `${this.config.http.publicUrl}${CLI_MFA_CONSOLE_PATH}/${approval.id}`,
      expiresAt: approval.expiresAt.toISOString(),
      pollIntervalSeconds: 2,
    };
  }

  /**
   * The pending approval the console shows, only to the same person: another person's approval answers
   * exactly like an unknown id, so the page reveals nothing about anyone else's CLI.
   */
  async pendingFor(browser: Principal, id: string): Promise<PendingCliApproval> {
    const approval = await this.approvals.findOne({ where: { id } });
    if (!approval || browser.kind !== 'user' || approval.userId !== browser.userId)
      throw apiError(
        HttpStatus.NOT_FOUND,
        'approval_not_found',
        'no CLI approval of yours has this id: open the link your terminal printed',
      );
    if (approval.status !== 'pending') throw decided(approval);
    if (approval.expiresAt.getTime() <= Date.now())
      throw apiError(
        HttpStatus.GONE,
        'approval_expired',
        `this CLI approval expired at ${approval.expiresAt.toISOString()}: run the command again`,
      );
    return { approval, cliSession: await this.userSessions.findById(approval.sessionId) };
  }

  async approve(browser: Principal, id: string, webauthn: AuthenticationResponseJSON) {
    const { approval } = await this.pendingFor(browser, id);
    await this.verification.verifyWebauthn(browser, webauthn);
    await this.settle(approval, 'approved');
    return approval;
  }

  /** The person did not start this: the CLI's next poll ends with `approval_denied`. */
  async deny(browser: Principal, id: string): Promise<PendingCliApproval> {
    const pending = await this.pendingFor(browser, id);
    await this.settle(pending.approval, 'denied');
    return pending;
  }

  /** Polled by the CLI: 202 until approved; then its session is verified once and gets a proof. */
  async complete(
    cli: Principal,
    id: string,
    codeVerifier: string,
  ): Promise<{ status: 'pending' } | { status: 'verified'; proof: string; proofExpiresAt: string }> {
    const approval = await this.approvals.findOne({ where: { id, sessionId: cli.sessionId ?? '' } });
    if (!approval || !verifierMatchesChallenge(codeVerifier, approval.codeChallenge))
      throw apiError(HttpStatus.NOT_FOUND, 'approval_not_found', 'no CLI approval of this session matches');
    if (approval.status === 'denied')
      throw apiError(
        HttpStatus.FORBIDDEN,
        'approval_denied',
        'the request was denied in the browser; nothing was done',
      );
    if (approval.expiresAt.getTime() <= Date.now() && approval.status === 'pending')
      throw apiError(HttpStatus.GONE, 'approval_expired', 'the browser approval expired; start again');
    if (approval.status === 'pending') return { status: 'pending' };
    if (approval.status === 'completed')
      throw apiError(HttpStatus.CONFLICT, 'approval_used', 'this approval was already used');
    const claimed = await this.approvals.update({ id, status: 'approved' }, { status: 'completed' });
    if ((claimed.affected ?? 0) === 0)
      throw apiError(HttpStatus.CONFLICT, 'approval_used', 'this approval was already used');
    await this.sessions.markVerified(approval.sessionId);
    const { proof, expiresAt } = await this.proofs.issue(cli, 'cli_approval', null);
    return { status: 'verified', proof, proofExpiresAt: expiresAt };
  }

  /** Only a still-pending approval changes: of an approve and a deny racing, the second is refused. */
  private async settle(approval: MfaCliApprovalEntity, status: 'approved' | 'denied'): Promise<void> {
    const changed = await this.approvals.update({ id: approval.id, status: 'pending' }, { status });
    if ((changed.affected ?? 0) === 0) {
      const now = await this.approvals.findOneByOrFail({ id: approval.id });
      throw decided(now);
    }
  }
}

function decided(approval: MfaCliApprovalEntity) {
  const what = approval.status === 'denied' ? 'denied' : 'approved';
  return apiError(
    HttpStatus.GONE,
    'approval_decided',
    `this CLI approval was already ${what}: run the command again if you still need it`,
  );
}
