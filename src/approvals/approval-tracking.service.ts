import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApprovalExpiry } from './approval-expiry.service';
import { ApprovalLifecycle } from './approval-lifecycle';
import { toApprovalRequestView } from './approval-request-view';
import { ApprovalStore } from './approval-store';
import { DeployApprovalRequestEntity } from './deploy-approval-request.entity';

/** What a rack call under an approval is matched by: the commit of a build, or what the approval made. */
export type ApprovalMatch =
  { gitCommit: string } | { buildId: string } | { releaseId: string } | { processId: string };

/** What a forwarded rack call used the approval for. Object, build and release are written once. */
export interface TrackingChange {
  objectUrl?: string;
  buildId?: string;
  releaseId?: string;
  processId?: string;
  execCommand?: { processId: string; command: string };
}

/**
 * The approvals API of the rack proxy's gate. Lookups first persist any expiry that is due for the token's
 * requests on that app, so what they return is the truth at that moment. Tracking is written in the
 * caller's transaction (the one that decides to forward), so a failed write fails the call.
 */
@Injectable()
export class ApprovalTracking {
  constructor(
    private readonly store: ApprovalStore,
    private readonly expiry: ApprovalExpiry,
    private readonly lifecycle: ApprovalLifecycle,
  ) {}

  /**
   * The newest request of this token on this app that `match` names, in any status (the gate words its
   * refusal from it: "already deployed", "expired at …"). With `manager`, the row is locked in that
   * transaction until it ends.
   */
  async findForToken(
    targetTokenId: string,
    app: string,
    match: ApprovalMatch,
    manager?: EntityManager,
  ): Promise<DeployApprovalRequestEntity | null> {
    await this.expiry.expireDue({ targetTokenId, app });
    const run = (m: EntityManager) => {
      const query = m
        .createQueryBuilder(DeployApprovalRequestEntity, 'r')
        .where('r.target_token_id = :targetTokenId AND r.app = :app', { targetTokenId, app })
        .orderBy('r.created_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .limit(1);
      if ('gitCommit' in match) query.andWhere('r.git_commit = :v', { v: match.gitCommit });
      else if ('buildId' in match) query.andWhere('r.build_id = :v', { v: match.buildId });
      else if ('releaseId' in match) query.andWhere('r.release_id = :v', { v: match.releaseId });
      else query.andWhere(':v = ANY(r.process_ids)', { v: match.processId });
      if (manager) query.setLock('pessimistic_write');
      return query.getOne();
    };
    return manager ? run(manager) : this.store.transaction(run);
  }

  /** The approved, unexpired request `match` names, or null. */
  async findApproved(
    targetTokenId: string,
    app: string,
    match: ApprovalMatch,
    manager?: EntityManager,
  ): Promise<DeployApprovalRequestEntity | null> {
    const row = await this.findForToken(targetTokenId, app, match, manager);
    return row && row.status === 'approved' && row.expiresAt.getTime() > Date.now() ? row : null;
  }

  /**
   * Records what a forwarded call used the approval for, in the caller's transaction. Throws (409) when the
   * request is no longer approved or a write-once value is already set: the caller must then refuse.
   */
  async record(
    manager: EntityManager,
    id: string,
    change: TrackingChange,
  ): Promise<DeployApprovalRequestEntity> {
    const set: Record<string, unknown> = {};
    const params: Record<string, unknown> = { id };
    if (change.objectUrl !== undefined) set.object_url = params.objectUrl = change.objectUrl;
    if (change.buildId !== undefined) set.build_id = params.buildId = change.buildId;
    if (change.releaseId !== undefined) set.release_id = params.releaseId = change.releaseId;
    const assignments = Object.keys(set).map((column) => `${column} = :${camel(column)}`);
    // Write-once values must still be empty (or already equal: a repeated read of the build is harmless).
    const onceGuards = Object.keys(set).map(
      (column) => `(${column} IS NULL OR ${column} = :${camel(column)})`,
    );
    if (change.processId !== undefined) {
      params.processId = change.processId;
      assignments.push(
        'process_ids = CASE WHEN :processId = ANY(process_ids) THEN process_ids ELSE array_append(process_ids, :processId) END',
      );
    }
    if (change.execCommand) {
      params.exec = JSON.stringify([{ ...change.execCommand, at: new Date().toISOString() }]);
      assignments.push('exec_commands = exec_commands || CAST(:exec AS jsonb)');
    }
    if (assignments.length === 0) throw new Error('nothing to track');
    const sql = `UPDATE deploy_approval_requests SET ${assignments.join(', ')}
      WHERE id = :id AND status = 'approved' ${onceGuards.map((g) => `AND ${g}`).join(' ')}`;
    const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, params, {});
    const [, affected] = (await manager.query(query, values)) as [unknown, number];
    if (!affected) {
      throw new ConflictException({
        error: 'approval_not_usable',
        message:
          'this deploy approval is no longer approved, or was already used for another object, build or release',
      });
    }
    return (await this.store.find(id, manager))!;
  }

  /**
   * After a successful promote: the request becomes `deployed` (terminal), announced in the same
   * transaction (its notification jobs commit with it). With `manager` the change joins the caller's
   * transaction; without, it commits here.
   */
  async markDeployed(
    id: string,
    actor: { email: string; tokenId?: string },
    manager?: EntityManager,
  ): Promise<DeployApprovalRequestEntity> {
    const change = async (m: EntityManager) => {
      const row = await this.store.transition(id, 'deployed', { deployedAt: () => 'now()' }, m, {
        where: 'release_id IS NOT NULL',
      });
      if (!row) {
        throw new ConflictException({
          error: 'approval_not_deployable',
          message: 'this deploy approval is not approved or has no release to deploy',
        });
      }
      const event = {
        kind: 'deployed' as const,
        request: toApprovalRequestView(row),
        actor: { kind: 'token' as const, email: actor.email, tokenId: actor.tokenId },
        at: (row.deployedAt ?? new Date()).toISOString(),
      };
      await this.lifecycle.emit(event, m);
      return row;
    };
    return manager ? change(manager) : this.store.transaction(change);
  }
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
