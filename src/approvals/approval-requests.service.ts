import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../access-control/principal';
import { AbilityFactory } from '../rbac/ability.factory';
import { expandPatterns } from '../rbac/permission-match';
import { SettingsService } from '../settings/settings.service';
import { ApiTokenEntity } from '../tokens/api-token.entity';
import { approvalLink } from './approval-audit';
import { ApprovalCreateChecks } from './approval-create-checks';
import { ApprovalExpiry } from './approval-expiry.service';
import { ApprovalQueriesService } from './approval-queries.service';
import { ApprovalLifecycle, type ApprovalLifecycleActor } from './approval-lifecycle';
import { approvalRefusal } from './approval-refusals';
import { toApprovalRequestView } from './approval-request-view';
import { ApprovalStore, type NewApprovalRow } from './approval-store';
import type { DeployApprovalRequestEntity } from './deploy-approval-request.entity';
import type { ApprovalNotesDto, CreateApprovalRequestDto } from './dto/create-approval-request.dto';

const GATED = 'convox:deploy:deploy_with_approval';

type Target = Pick<
  NewApprovalRow,
  'targetTokenId' | 'targetTokenName' | 'targetTokenOwnerId' | 'targetTokenOwnerEmail'
>;

export interface CreateOutcome {
  /** False when an open request for the same token, app and commit already existed: that one is returned. */
  created: boolean;
  request: DeployApprovalRequestEntity;
}

/** Who the lifecycle says acted. */
export function lifecycleActor(principal: Principal): ApprovalLifecycleActor {
  return { kind: principal.kind, email: principal.email, tokenId: principal.tokenId };
}

/**
 * Requests and their cancellation: what requesters do. A token holding deploy_with_approval asks for
 * itself; a person names an API token they own that holds it.
 */
@Injectable()
export class ApprovalRequestsService {
  constructor(
    private readonly store: ApprovalStore,
    private readonly expiry: ApprovalExpiry,
    private readonly lifecycle: ApprovalLifecycle,
    private readonly settings: SettingsService,
    private readonly abilities: AbilityFactory,
    private readonly queries: ApprovalQueriesService,
    private readonly audit: AuditRecorder,
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly checks: ApprovalCreateChecks,
  ) {}

  async create(principal: Principal, input: CreateApprovalRequestDto): Promise<CreateOutcome> {
    if (!(await this.settings.get('approvals.enabled'))) throw approvalRefusal.disabled();
    const target = await this.targetOf(principal, input);
    await this.checks.run({
      app: input.app,
      gitCommit: input.gitCommit,
      gitBranch: input.gitBranch ?? null,
      ciMetadata: input.ciMetadata ?? {},
    });
    const row: NewApprovalRow = {
      ...target,
      app: input.app,
      gitCommit: input.gitCommit,
      gitBranch: input.gitBranch ?? null,
      message: input.message,
      ciMetadata: input.ciMetadata ?? {},
      prUrl: input.prUrl ?? null,
      ciUrl: input.ciUrl ?? null,
      createdByKind: principal.kind,
      createdByUserId: principal.userId,
      createdByEmail: principal.email,
      createdByTokenId: principal.kind === 'token' ? (principal.tokenId ?? null) : null,
      createdByTokenName: principal.kind === 'token' ? (principal.tokenName ?? null) : null,
    };
    const ttlSeconds = await this.settings.get('approvals.pending_ttl');
    // An open request that is over must leave the way free before the unique index is asked.
    await this.expiry.expireDue({ targetTokenId: target.targetTokenId, app: input.app });
    const outcome = await this.store.transaction(async (manager) => {
      const inserted = await this.store.insertPending(row, ttlSeconds, manager);
      if (inserted) {
        const created = {
          kind: 'created' as const,
          request: toApprovalRequestView(inserted),
          actor: lifecycleActor(principal),
          at: inserted.createdAt.toISOString(),
        };
        await this.lifecycle.emit(created, manager);
        return { created: true, request: inserted };
      }
      const open = await this.store.findOpen(target.targetTokenId, input.app, input.gitCommit, manager);
      return open ? { created: false, request: open } : undefined;
    });
    // The open request was decided between the insert and the read: the second try inserts.
    const settled = outcome ?? (await this.create(principal, input));
    const { request } = settled;
    this.audit.annotate({ ...approvalLink(request.id), created: settled.created, status: request.status });
    return settled;
  }

  /** The requester (or the target token, or its owner) withdraws a pending or approved request. */
  async cancel(
    principal: Principal,
    id: string,
    input: ApprovalNotesDto,
  ): Promise<DeployApprovalRequestEntity> {
    this.audit.annotate(approvalLink(id));
    // Not found for whoever may not see it; approvers see it but reject rather than cancel.
    const current = await this.queries.get(principal, id);
    const mine =
      current.createdByUserId === principal.userId ||
      current.targetTokenOwnerId === principal.userId ||
      current.targetTokenId === principal.tokenId;
    if (!mine) throw approvalRefusal.notYours();
    const row = await this.store.transaction(async (manager) => {
      const cancelled = await this.store.transition(
        id,
        'cancelled',
        {
          cancelledAt: () => 'now()',
          cancelledByEmail: principal.email,
          cancellationNotes: input.notes ?? null,
        },
        manager,
      );
      if (cancelled) {
        const event = {
          kind: 'cancelled' as const,
          request: toApprovalRequestView(cancelled),
          actor: lifecycleActor(principal),
          notes: cancelled.cancellationNotes,
          at: (cancelled.cancelledAt ?? new Date()).toISOString(),
        };
        await this.lifecycle.emit(event, manager);
      }
      return cancelled;
    });
    if (!row) throw approvalRefusal.notOpen(id, (await this.store.find(id))?.status ?? 'gone', 'cancelled');
    this.audit.annotate({ status: row.status });
    return row;
  }

  private async targetOf(principal: Principal, input: CreateApprovalRequestDto): Promise<Target> {
    if (principal.kind === 'token') {
      if (input.targetTokenId && input.targetTokenId !== principal.tokenId)
        throw approvalRefusal.tokenTargetsItself();
      if (!this.abilities.forPrincipalOnApp(principal, input.app).can(GATED))
        throw approvalRefusal.tokenNotGated();
      return {
        targetTokenId: principal.tokenId!,
        targetTokenName: principal.tokenName ?? '',
        targetTokenOwnerId: principal.userId,
        targetTokenOwnerEmail: principal.email,
      };
    }
    if (!input.targetTokenId) throw approvalRefusal.targetRequired();
    const token = await this.tokens.findOneBy({ id: input.targetTokenId, revokedAt: IsNull() });
    if (!token || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) {
      throw approvalRefusal.targetUnknown(input.targetTokenId);
    }
    if (token.ownerId !== principal.userId) throw approvalRefusal.targetNotOwned();
    if (!expandPatterns(token.permissions).includes(GATED)) throw approvalRefusal.targetNotGated(token.name);
    return {
      targetTokenId: token.id,
      targetTokenName: token.name,
      targetTokenOwnerId: principal.userId,
      targetTokenOwnerEmail: principal.email,
    };
  }
}
