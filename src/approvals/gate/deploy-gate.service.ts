import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Principal } from '../../access-control/principal';
import { AuditRecorder } from '../../audit/audit-recorder';
import { AbilityFactory } from '../../rbac/ability.factory';
import type { AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { SettingsService } from '../../settings/settings.service';
import { approvalLink } from '../approval-audit';
import { ApprovalExpiry } from '../approval-expiry.service';
import { ApprovalTracking } from '../approval-tracking.service';
import { DeployApprovalRequestEntity } from '../deploy-approval-request.entity';
import { judgeDeployStep, lookupFor, type GateCallFacts, type GateLookup } from './deploy-gate-decision';
import { refusals } from './deploy-gate-refusals';
import { deployStepDefinition, deployStepOf, type DeployStep } from './deploy-steps';
import { GatePass } from './gate-pass';
import { SourceManifestTap } from './source-manifest-tap';
import { SourceUploads } from './source-uploads';
import { UploadPass } from './upload-pass';

export const DEPLOY_WITH_APPROVAL = 'convox:deploy:deploy_with_approval' as const;

/**
 * A deploy step the gate let through: the request it runs under (a source upload runs under none yet: it
 * is recorded as the token's upload, `sourceUploadId`, and a build binds it), and what must see the
 * rack's answer.
 */
export type AdmittedStep =
  | { approvalId: string; sourceUploadId?: string; pass?: GatePass }
  | { approvalId?: undefined; sourceUploadId: string; pass: UploadPass };

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
 * the app covers it (see deploy-gate-decision.ts). The request's row (and a build's upload) is locked in a
 * transaction from the decision until what the call used the approval for is written, so two concurrent
 * calls cannot both use a single-use approval or upload, and a call whose tracking fails fails. A source
 * upload names no commit, so it is not bound to a request when it is made: the build that names it is.
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
    private readonly uploads: SourceUploads,
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
      const upload =
        step.kind === 'build-create' && approval && facts.buildUrl
          ? await this.uploads.forBuild(
              runner.manager,
              principal.tokenId!,
              step.app,
              facts.buildUrl,
              approval.id,
            )
          : null;
      const verdict = judgeDeployStep(
        step,
        lookup,
        approval,
        facts,
        { approvedCommands, imagePatterns },
        new Date(),
        upload,
      );
      if (!verdict.allow) {
        if (verdict.approvalId) this.audit.annotate(approvalLink(verdict.approvalId), request);
        throw new DeployGateRefusal(verdict.error, verdict.approvalId);
      }
      if (verdict.tracking === 'upload') return await this.reserveUpload(runner, principal, step, tap);
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
      const stores = { approvals: this.approvals, uploads: this.uploads };
      const pass = new GatePass(approvalId, verdict.tracking, runner, stores, actor, verdict.upload);
      handedOver = true;
      return { approvalId, pass, ...(verdict.upload ? { sourceUploadId: verdict.upload.id } : {}) };
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
   * An admitted upload takes its object key and commits at once: nothing stays locked while the body
   * streams, and the upload is bound to no request until a build names it.
   */
  private async reserveUpload(
    runner: QueryRunner,
    principal: Principal,
    step: DeployStep,
    tap: SourceManifestTap | undefined,
  ): Promise<AdmittedStep> {
    if (!tap) throw new Error('a source upload is admitted only with the tap that reads its manifests');
    const key = step.objectKey!;
    const uploadId = await this.uploads.reserve(runner.manager, principal.tokenId!, step.app, key);
    if (!uploadId) throw new DeployGateRefusal(refusals.sourceKeyTaken(step.app, key));
    await runner.commitTransaction();
    return { sourceUploadId: uploadId, pass: new UploadPass(uploadId, this.uploads, tap) };
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
        return this.findUnbuilt(manager, tokenId, app, lookup.kind === 'import');
    }
  }

  /**
   * Uploads and imports name no commit: they look for the newest usable request of the token on the app
   * that has no build yet; failing that the newest usable one, then the newest at all (whose state the
   * refusal then names). An import uses the request it finds (its row locked); an upload only needs one
   * to exist, and locks nothing while its body streams.
   */
  private async findUnbuilt(
    manager: EntityManager,
    tokenId: string,
    app: string,
    lock: boolean,
  ): Promise<DeployApprovalRequestEntity | null> {
    // Like the approvals module's own lookups: an expiry that is due is persisted before reading.
    await this.expiry.expireDue({ targetTokenId: tokenId, app });
    const usable = "r.status = 'approved' AND r.expires_at > now()";
    const query = manager
      .createQueryBuilder(DeployApprovalRequestEntity, 'r')
      .where('r.target_token_id = :tokenId AND r.app = :app', { tokenId, app })
      .orderBy(`CASE WHEN ${usable} AND r.build_id IS NULL THEN 0 WHEN ${usable} THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(1);
    return (lock ? query.setLock('pessimistic_write') : query).getOne();
  }
}

async function release(runner: QueryRunner): Promise<void> {
  try {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}
