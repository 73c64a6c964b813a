import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AUDIT_EVENT_COLUMNS,
  toAuditEventView,
  type AuditEventRow,
  type AuditEventView,
} from '../audit/audit-event-view';
import type { Principal } from '../access-control/principal';
import { AbilityFactory } from '../rbac/ability.factory';
import { APPROVAL_RESOURCE_TYPE, approvalIdIn, sourceUploadIdInDetails } from './approval-audit';
import { ApprovalExpiry } from './approval-expiry.service';
import { approvalRefusal } from './approval-refusals';
import { ApprovalStore } from './approval-store';
import { DeployApprovalRequestEntity } from './deploy-approval-request.entity';
import type { ListApprovalRequestsQuery } from './dto/list-approval-requests.dto';

const DEFAULT_LIMIT = 50;
const AUDIT_EVENTS_LIMIT = 1000;

/**
 * Reads of deploy approval requests. Approvers (and auditors) see every request; everyone else sees the
 * requests they made or whose target token is theirs (a token: those it made or is the target of). Expiry
 * that is due is persisted before each read.
 */
@Injectable()
export class ApprovalQueriesService {
  constructor(
    private readonly store: ApprovalStore,
    private readonly expiry: ApprovalExpiry,
    private readonly abilities: AbilityFactory,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  seesAll(principal: Principal): boolean {
    return this.abilities.forPrincipal(principal).can('gateway:deploy_approval:approve');
  }

  /** 404 for a request the caller may not see, so ids of others' requests cannot be probed. */
  async get(principal: Principal, id: string): Promise<DeployApprovalRequestEntity> {
    await this.expiry.expireDue({ id });
    const row = await this.store.find(id);
    if (!row || !this.visibleTo(principal, row)) throw approvalRefusal.notFound(id);
    return row;
  }

  async list(
    principal: Principal,
    query: ListApprovalRequestsQuery,
  ): Promise<{ items: DeployApprovalRequestEntity[]; nextCursor: string | null }> {
    await this.expiry.expireDue('all');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const q = this.dataSource.manager
      .createQueryBuilder(DeployApprovalRequestEntity, 'r')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (!this.seesAll(principal)) {
      if (principal.kind === 'token') {
        q.andWhere('(r.target_token_id = :token OR r.created_by_token_id = :token)', {
          token: principal.tokenId,
        });
      } else {
        q.andWhere('(r.created_by_user_id = :user OR r.target_token_owner_id = :user)', {
          user: principal.userId,
        });
      }
    }
    if (query.status) q.andWhere('r.status = :status', { status: query.status });
    if (query.app) q.andWhere('r.app = :app', { app: query.app });
    if (query.branch) q.andWhere('r.git_branch = :branch', { branch: query.branch });
    // The prefix is hex only (validated), so it needs no LIKE escaping.
    if (query.gitCommit) q.andWhere('r.git_commit LIKE :commit', { commit: `${query.gitCommit}%` });
    if (query.createdFrom) q.andWhere('r.created_at >= :from', { from: new Date(query.createdFrom) });
    if (query.createdTo) q.andWhere('r.created_at < :to', { to: new Date(query.createdTo) });
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (!after) throw approvalRefusal.badCursor();
      q.andWhere('(r.created_at, r.id) < (:at, :id)', { at: after.at, id: after.id });
    }
    const rows = await q.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * Every audit event carrying the request's id, oldest first, and the event of the source upload its
   * build bound (an upload names no request when it is made): the request's whole story.
   */
  async auditEvents(principal: Principal, id: string): Promise<AuditEventView[]> {
    const row = await this.get(principal, id);
    if (!this.seesAll(principal) && !this.abilities.forPrincipal(principal).can('gateway:audit:read')) {
      throw approvalRefusal.auditNotYours();
    }
    const rows = (await this.dataSource.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events
        WHERE (details LIKE '%"approvalRequestId"%' AND ${approvalIdIn('details')} = $1)
           OR (outcome_details LIKE '%"approvalRequestId"%' AND ${approvalIdIn('outcome_details')} = $1)
           OR (resource_type = $2 AND resource_name = $1)
           OR (details LIKE '%"sourceUploadId"%' AND ${sourceUploadIdInDetails} =
                (SELECT id::text FROM deploy_source_uploads WHERE approval_request_id = CAST($1 AS uuid)))
        ORDER BY chain_index
        LIMIT ${AUDIT_EVENTS_LIMIT}`,
      [row.id, APPROVAL_RESOURCE_TYPE],
    )) as AuditEventRow[];
    return rows.map(toAuditEventView);
  }

  private visibleTo(principal: Principal, row: DeployApprovalRequestEntity): boolean {
    if (this.seesAll(principal)) return true;
    if (principal.kind === 'token') {
      return row.targetTokenId === principal.tokenId || row.createdByTokenId === principal.tokenId;
    }
    return row.createdByUserId === principal.userId || row.targetTokenOwnerId === principal.userId;
  }
}

function encodeCursor(row: DeployApprovalRequestEntity): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } | undefined {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) return undefined;
  return { at: date, id };
}
