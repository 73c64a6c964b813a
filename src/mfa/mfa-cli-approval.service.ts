import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { MoreThan, Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { verifierMatchesChallenge } from '../access-control/pkce';
import type { Principal } from '../access-control/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MfaCliApprovalEntity } from './entities/mfa-cli-approval.entity';
import { MfaActionProofsService } from './mfa-action-proofs.service';
import { MfaSessionsService } from './mfa-sessions.service';
import { MfaVerificationService } from './mfa-verification.service';

const APPROVAL_TTL_MS = 5 * 60_000;

/**
 * Step-up for the CLI through the browser, for people whose only factor is a browser passkey: the CLI
 * opens a page where the same person approves with the passkey, and polls with a verifier only it holds;
 * once approved, the CLI session counts as freshly verified (like a code would), and the poll also hands
 * back a single-use proof for this CLI session, so the one `always` action that asked (approving a deploy,
 * changing a role) can be retried with it (`X-MFA-Proof`).
 */
@Injectable()
export class MfaCliApprovalService {
  constructor(
    @InjectRepository(MfaCliApprovalEntity) private readonly approvals: Repository<MfaCliApprovalEntity>,
    private readonly verification: MfaVerificationService,
    private readonly sessions: MfaSessionsService,
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
    const approval = this.approvals.create({
      userId: cli.userId,
      sessionId: cli.sessionId,
      codeChallenge,
      status: 'pending',
      expiresAt: new Date(Date.now() + APPROVAL_TTL_MS),
    });
    await this.approvals.insert(approval);
    return {
      id: approval.id,
      browserUrl: `${this.config.http.publicUrl}/api/v1/mfa/cli-approvals/${approval.id}`,
      expiresAt: approval.expiresAt.toISOString(),
      pollIntervalSeconds: 2,
    };
  }

  /** The pending approval the browser shows, only to the same person. */
  async pendingFor(browser: Principal, id: string): Promise<MfaCliApprovalEntity> {
    const approval = await this.approvals.findOne({
      where: { id, userId: browser.userId, status: 'pending', expiresAt: MoreThan(new Date()) },
    });
    if (!approval || browser.kind !== 'user')
      throw apiError(
        HttpStatus.NOT_FOUND,
        'approval_not_found',
        'no pending CLI approval of yours with this id (expired?)',
      );
    return approval;
  }

  async approve(browser: Principal, id: string, webauthn: AuthenticationResponseJSON): Promise<void> {
    const approval = await this.pendingFor(browser, id);
    await this.verification.verifyWebauthn(browser, webauthn);
    await this.approvals.update({ id: approval.id, status: 'pending' }, { status: 'approved' });
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
}
