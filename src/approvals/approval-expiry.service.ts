import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { PeriodicSweep } from '../database/periodic-sweep';
import { APPROVAL_AUDIT_ACTIONS, APPROVAL_RESOURCE_TYPE, approvalLink } from './approval-audit';
import { ApprovalLifecycle } from './approval-lifecycle';
import { toApprovalRequestView } from './approval-request-view';
import type { ApprovalStatus } from './approval-status';
import { ApprovalStore } from './approval-store';
import type { DeployApprovalRequestEntity } from './deploy-approval-request.entity';

const SWEEP_INTERVAL_MS = 30_000;

/** Which open requests to look at: all of them, one, or those of one (token, app). */
export type ExpiryScope = { id: string } | { targetTokenId: string; app: string } | 'all';

/**
 * Persists `expired`: a pending request nobody decided within `approvals.pending_ttl`, or an approval whose
 * window (`approvals.approval_window`) is over. Runs before every read of a request (so nobody sees an open
 * request that is over) and every 30 seconds for all of them (so notifications and the list are right even
 * when nobody looks). Each expiry is one lifecycle event, in the expiring transaction, and one audit event.
 */
@Injectable()
export class ApprovalExpiry extends PeriodicSweep {
  constructor(
    private readonly store: ApprovalStore,
    private readonly audit: AuditRecorder,
    private readonly lifecycle: ApprovalLifecycle,
  ) {
    super('ApprovalExpiry', SWEEP_INTERVAL_MS);
  }

  /** The periodic pass over every open request. */
  protected async sweepOnce(): Promise<number> {
    return (await this.expireDue('all', 'expiry-sweep')).length;
  }

  /**
   * Expires what is due in `scope` and announces it. Rows another transaction holds are skipped (that
   * transaction decides them), so concurrent sweeps never announce one expiry twice.
   */
  async expireDue(
    scope: ExpiryScope,
    rule: 'expiry-sweep' | 'expired-on-read' = 'expired-on-read',
  ): Promise<string[]> {
    const expired = await this.store.transaction(async (manager) => {
      const changed: { row: DeployApprovalRequestEntity; previous: ApprovalStatus }[] = [];
      for (const { id, previous } of await this.expireIn(manager, scope)) {
        const row = (await this.store.find(id, manager))!;
        // In the expiring transaction: the notification jobs commit with the expiry or not at all.
        await this.lifecycle.emit(
          {
            kind: 'expired',
            request: toApprovalRequestView(row),
            actor: { kind: 'system', email: null },
            at: (row.expiredAt ?? new Date()).toISOString(),
          },
          manager,
        );
        changed.push({ row, previous });
      }
      return changed;
    });
    for (const { row, previous } of expired) await this.recordExpiry(row, previous, rule);
    return expired.map(({ row }) => row.id);
  }

  private async expireIn(
    manager: EntityManager,
    scope: ExpiryScope,
  ): Promise<{ id: string; previous: ApprovalStatus }[]> {
    const filter =
      scope === 'all'
        ? { sql: '', params: [] as unknown[] }
        : 'id' in scope
          ? { sql: 'AND id = $1', params: [scope.id] }
          : { sql: 'AND target_token_id = $1 AND app = $2', params: [scope.targetTokenId, scope.app] };
    // A malformed id can never match; asking PostgreSQL would only turn it into a 500.
    if (scope !== 'all' && 'id' in scope && !UUID.test(scope.id)) return [];
    const rows = (await manager.query(
      `WITH due AS (
         SELECT id, status FROM deploy_approval_requests
          WHERE status IN ('pending', 'approved') AND expires_at <= now() ${filter.sql}
          FOR UPDATE SKIP LOCKED)
       UPDATE deploy_approval_requests r SET status = 'expired', expired_at = now()
         FROM due WHERE r.id = due.id
       RETURNING r.id, due.status AS previous`,
      filter.params,
    )) as [{ id: string; previous: ApprovalStatus }[], number] | { id: string; previous: ApprovalStatus }[];
    // node-postgres through TypeORM answers an UPDATE … RETURNING as [rows, count].
    return Array.isArray(rows[0]) ? (rows[0] as { id: string; previous: ApprovalStatus }[]) : (rows as never);
  }

  private async recordExpiry(
    row: DeployApprovalRequestEntity,
    previous: ApprovalStatus,
    rule: string,
  ): Promise<void> {
    const id = row.id;
    // `app` is read by the audit service beyond the recorder's contract, so the event lists under its app.
    const event = {
      action: APPROVAL_AUDIT_ACTIONS.expire,
      decision: 'allow' as const,
      rule,
      resourceType: APPROVAL_RESOURCE_TYPE,
      resourceName: id,
      app: row.app,
      status: 200,
      details: { ...approvalLink(id), previousStatus: previous, expiresAt: row.expiresAt.toISOString() },
    };
    await this.audit
      .record(event)
      .catch((error: unknown) =>
        this.logger.error({ err: error, requestId: id }, 'could not record the expiry of a deploy approval'),
      );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
