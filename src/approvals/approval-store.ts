import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { statusesLeadingTo, type ApprovalStatus } from './approval-status';
import { DeployApprovalRequestEntity } from './deploy-approval-request.entity';

/** Column values of a transition; functions are SQL evaluated by the database (its clock decides). */
export type TransitionSet = Partial<Record<keyof DeployApprovalRequestEntity, unknown>>;

/** A new request, as the creation service resolved it. */
export type NewApprovalRow = Omit<
  DeployApprovalRequestEntity,
  | 'id'
  | 'status'
  | 'createdAt'
  | 'updatedAt'
  | 'expiresAt'
  | 'approvedAt'
  | 'approvedByUserId'
  | 'approvedByEmail'
  | 'approvalNotes'
  | 'rejectedAt'
  | 'rejectedByUserId'
  | 'rejectedByEmail'
  | 'rejectionNotes'
  | 'cancelledAt'
  | 'cancelledByEmail'
  | 'cancellationNotes'
  | 'expiredAt'
  | 'deployedAt'
  | 'objectUrl'
  | 'buildId'
  | 'releaseId'
  | 'processIds'
  | 'execCommands'
>;

/**
 * The SQL of deploy approval requests. Every status change is one conditional UPDATE whose WHERE names the
 * statuses the change may start from, so two concurrent deciders cannot both win; the database trigger
 * refuses anything the code got wrong.
 */
@Injectable()
export class ApprovalStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DeployApprovalRequestEntity | null> {
    return manager.findOneBy(DeployApprovalRequestEntity, { id });
  }

  /** Locks the row for the rest of the caller's transaction. */
  findForUpdate(id: string, manager: EntityManager): Promise<DeployApprovalRequestEntity | null> {
    return manager
      .createQueryBuilder(DeployApprovalRequestEntity, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  /**
   * Inserts a pending request unless an open one exists for the same token, app and commit (the partial
   * unique index decides, so concurrent creates cannot both succeed). Undefined means there was one.
   */
  async insertPending(
    row: NewApprovalRow,
    pendingTtlSeconds: number,
    manager: EntityManager,
  ): Promise<DeployApprovalRequestEntity | undefined> {
    const inserted = (await manager.query(
      `INSERT INTO deploy_approval_requests (app, git_commit, git_branch, message, ci_metadata, pr_url, ci_url,
         target_token_id, target_token_name, target_token_owner_id, target_token_owner_email, created_by_kind,
         created_by_user_id, created_by_email, created_by_token_id, created_by_token_name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
         now() + make_interval(secs => $17))
       ON CONFLICT (target_token_id, app, git_commit) WHERE status IN ('pending', 'approved') DO NOTHING
       RETURNING id`,
      [
        row.app,
        row.gitCommit,
        row.gitBranch,
        row.message,
        JSON.stringify(row.ciMetadata),
        row.prUrl,
        row.ciUrl,
        row.targetTokenId,
        row.targetTokenName,
        row.targetTokenOwnerId,
        row.targetTokenOwnerEmail,
        row.createdByKind,
        row.createdByUserId,
        row.createdByEmail,
        row.createdByTokenId,
        row.createdByTokenName,
        pendingTtlSeconds,
      ],
    )) as { id: string }[];
    return inserted[0] ? ((await this.find(inserted[0].id, manager)) ?? undefined) : undefined;
  }

  /** The open request for (token, app, commit), if any. */
  findOpen(
    targetTokenId: string,
    app: string,
    gitCommit: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DeployApprovalRequestEntity | null> {
    return manager
      .createQueryBuilder(DeployApprovalRequestEntity, 'r')
      .where('r.target_token_id = :targetTokenId AND r.app = :app AND r.git_commit = :gitCommit', {
        targetTokenId,
        app,
        gitCommit,
      })
      .andWhere("r.status IN ('pending', 'approved')")
      .getOne();
  }

  /**
   * Moves `id` to `to` if it is in a status that may lead there (`from`, by default every status the state
   * machine allows) and `where` holds; returns the row after the change, or undefined when nothing matched.
   */
  async transition(
    id: string,
    to: ApprovalStatus,
    set: TransitionSet,
    manager: EntityManager,
    options: { from?: readonly ApprovalStatus[]; where?: string; params?: Record<string, unknown> } = {},
  ): Promise<DeployApprovalRequestEntity | undefined> {
    const query = manager
      .createQueryBuilder()
      .update(DeployApprovalRequestEntity)
      .set({ ...(set as object), status: to })
      .where('id = :id', { id })
      .andWhere('status IN (:...from)', { from: options.from ?? statusesLeadingTo(to) });
    if (options.where) query.andWhere(options.where, options.params ?? {});
    const result = await query.execute();
    if (!result.affected) return undefined;
    return (await this.find(id, manager)) ?? undefined;
  }
}
