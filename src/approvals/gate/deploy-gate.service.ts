import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Principal } from '../../auth/principal';
import { AuditRecorder } from '../../audit/audit-recorder';
import { AbilityFactory } from '../../rbac/ability.factory';
import type { AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { SettingsService } from '../../settings/settings.service';
import { approvalLink } from '../approval-audit';
import { ApprovalExpiry } from '../approval-expiry.service';
import { ApprovalTracking } from '../approval-tracking.service';
import { DeployApprovalRequestEntity } from '../deploy-approval-request.entity';
import { DeployApprovalSourceEntity } from './deploy-approval-source.entity';
import { judgeDeployStep, lookupFor, type GateCallFacts, type GateLookup } from './deploy-gate-decision';
import { refusals } from './deploy-gate-refusals';
import { deployStepDefinition, deployStepOf, type DeployStep } from './deploy-steps';
import { GatePass } from './gate-pass';
import { SourceManifestTap } from './source-manifest-tap';

export const DEPLOY_WITH_APPROVAL = 'convox:deploy:deploy_with_approval' as const;

/** A deploy step the gate let through: the request it runs under, and what must see the rack's answer. */
export interface AdmittedStep {
  approvalId: string;
  /** Present when the rack's answer must be recorded before the client sees it. */
  pass?: GatePass;
}

/** A refusal of the gate: 403 with the words the convox CLI prints, and the request it is about, if any. */
export class DeployGateRefusal extends HttpException {
  constructor(
    readonly reason: string,
    readonly approvalId?: string,
  ) {
    super({ error: reason }, HttpStatus.FORBIDDEN);
  }
}

/**
 * Deploy approvals on the rack proxy. A token that holds `convox:deploy:deploy_with_approval` but not a
 * deploy step's own permission may make that step while an approved, unexpired request of the token for
 * the app covers it (see deploy-gate-decision.ts). The request's row is locked in a transaction from the
 * decision until what the call used the approval for is written, so two concurrent calls cannot both use
 * a single-use approval, and a call whose tracking fails fails.
 */
@Injectable()
export class DeployGate {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly approvals: ApprovalTracking,
    private readonly expiry: ApprovalExpiry,
    private readonly settings: SettingsService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * The deploy step a call is, when the gate decides it: a token holding `deploy_with_approval` on the app,
   * on a deploy route. Null: the gate has nothing to say (the principal's own permissions decide).
   */
  stepFor(principal: Principal, authorized: AuthorizedConvoxRoute): DeployStep | null {
    if (principal.kind !== 'token' || !principal.tokenId) return null;
    const step = deployStepOf(authorized.route, authorized.method, authorized.params);
    if (!step) return null;
    return this.abilities.decideOnApp(principal, DEPLOY_WITH_APPROVAL, step.app).allowed ? step : null;
  }

  /**
   * Decides `step`; throws DeployGateRefusal. For uploads, `tap` is the stream the body must go through;
   * `request` is the call whose audit event a refusal about a known request is linked to.
   */
  async admit(
    principal: Principal,
    step: DeployStep,
    facts: GateCallFacts,
    { tap, request }: { tap?: SourceManifestTap; request?: IncomingMessage } = {},
  ): Promise<AdmittedStep> {
    if (!(await this.settings.get('approvals.enabled')))
      throw new DeployGateRefusal(refusals.disabled(deployStepDefinition(step.kind).doing));
    const lookup = lookupFor(step, facts);
    if ('refuse' in lookup) throw new DeployGateRefusal(lookup.refuse);

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let handedOver = false;
    try {
      await runner.startTransaction();
      const approval = await this.find(runner.manager, principal.tokenId!, step.app, lookup);
      const [approvedCommands, imagePatterns] = await Promise.all([
        this.settings.getForApp(step.app, 'deploy.approved_commands'),
        this.settings.getForApp(step.app, 'deploy.service_image_patterns'),
      ]);
      const source =
        step.kind === 'build-create' && approval
          ? await runner.manager.findOneBy(DeployApprovalSourceEntity, { approvalRequestId: approval.id })
          : null;
      const verdict = judgeDeployStep(
        step,
        lookup,
        approval,
        facts,
        { approvedCommands, imagePatterns },
        new Date(),
        source
          ? { manifests: source.manifests, ...(source.problem ? { problem: source.problem } : {}) }
          : null,
      );
      if (!verdict.allow) {
        if (verdict.approvalId) this.audit.annotate(approvalLink(verdict.approvalId), request);
        throw new DeployGateRefusal(verdict.error, verdict.approvalId);
      }
      const approvalId = verdict.approval.id;
      if (verdict.tracking === 'exec') {
        // Recorded before the session opens: what was run under an approval is known even if it never ends.
        await this.approvals.record(runner.manager, approvalId, {
          execCommand: { processId: step.target!, command: verdict.command! },
        });
      }
      if (verdict.tracking === 'none' || verdict.tracking === 'exec') {
        await runner.commitTransaction();
        return { approvalId };
      }
      const actor = { email: principal.email, tokenId: principal.tokenId };
      const pass = new GatePass(approvalId, verdict.tracking, runner, this.approvals, actor, tap);
      handedOver = true;
      return { approvalId, pass };
    } catch (error) {
      if (error instanceof DeployGateRefusal) throw error;
      if (error instanceof HttpException) throw error;
      throw new HttpException({ error: refusals.trackingFailed() }, HttpStatus.SERVICE_UNAVAILABLE, {
        cause: error,
      });
    } finally {
      if (!handedOver) await release(runner);
    }
  }

  /**
   * The gate on a websocket upgrade (build logs, exec) the principal's own permissions refused: null when
   * the gate does not speak for it, else the admitted route and request; throws DeployGateRefusal.
   */
  async admitUpgrade(
    principal: Principal,
    authorized: AuthorizedConvoxRoute,
    request: IncomingMessage,
  ): Promise<AdmittedStep | null> {
    const step = this.stepFor(principal, authorized);
    if (!step) return null;
    const command = request.headers.command;
    const facts: GateCallFacts =
      step.kind === 'process-exec' ? { command: Array.isArray(command) ? command.join(' ') : command } : {};
    return this.admit(principal, step, facts, { request });
  }

  /** The request `lookup` names, newest first, any state (refusals are worded from it), locked. */
  private find(
    manager: EntityManager,
    tokenId: string,
    app: string,
    lookup: GateLookup,
  ): Promise<DeployApprovalRequestEntity | null> {
    switch (lookup.kind) {
      case 'commit':
        return this.approvals.findForToken(tokenId, app, { gitCommit: lookup.gitCommit }, manager);
      case 'build':
        return this.approvals.findForToken(tokenId, app, { buildId: lookup.buildId }, manager);
      case 'release':
        return this.approvals.findForToken(tokenId, app, { releaseId: lookup.releaseId }, manager);
      case 'process':
        return this.approvals.findForToken(tokenId, app, { processId: lookup.processId }, manager);
      case 'upload':
      case 'import':
        return this.findUnused(manager, tokenId, app, lookup.kind === 'upload');
    }
  }

  /**
   * Uploads and imports name no commit: they take the newest usable request of the token on the app that
   * has not been used for one yet; failing that the newest usable one, then the newest at all (whose state
   * the refusal then names).
   */
  private async findUnused(
    manager: EntityManager,
    tokenId: string,
    app: string,
    forUpload: boolean,
  ): Promise<DeployApprovalRequestEntity | null> {
    // Like the approvals module's own lookups: an expiry that is due is persisted before reading.
    await this.expiry.expireDue({ targetTokenId: tokenId, app });
    const usable = "r.status = 'approved' AND r.expires_at > now()";
    const unused = `r.build_id IS NULL${forUpload ? ' AND r.object_url IS NULL' : ''}`;
    return manager
      .createQueryBuilder(DeployApprovalRequestEntity, 'r')
      .where('r.target_token_id = :tokenId AND r.app = :app', { tokenId, app })
      .orderBy(`CASE WHEN ${usable} AND ${unused} THEN 0 WHEN ${usable} THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(1)
      .setLock('pessimistic_write')
      .getOne();
  }
}

async function release(runner: QueryRunner): Promise<void> {
  try {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}
