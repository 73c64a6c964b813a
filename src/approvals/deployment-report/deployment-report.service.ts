import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { isoMicrosSql } from '../../audit/audit-time';
import { APPROVAL_AUDIT_ACTIONS, APPROVAL_RESOURCE_TYPE, approvalIdIn } from '../approval-audit';
import { DeployApprovalRequestEntity } from '../deploy-approval-request.entity';
import { DEPLOYMENT_EXCEPTIONS, exceptionsOf, type DeploymentException } from './deployment-exceptions';
import { DeploymentReportRow } from './deployment-report.dto';

/** A report over more rows than this is cut, and says so. */
export const MAX_REPORT_ROWS = 10_000;

interface PromoteRow {
  event_id: string;
  occurred_at: string;
  actor_type: string;
  actor_email: string;
  token_name: string;
  app: string;
  release_id: string;
  status: number | null;
  result: string;
  approval_id: string | null;
}

/**
 * The change-evidence report: every release promote the gateway saw, from the audit log, with the deploy
 * approval it ran under (linked by `approvalRequestId` on the promote's event, else by the release the
 * approval built) and the exceptions an auditor must look at.
 */
@Injectable()
export class DeploymentReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rows(from: Date, to: Date): Promise<{ rows: DeploymentReportRow[]; truncated: boolean }> {
    const promotes = (await this.dataSource.query(
      `SELECT id AS event_id, ${isoMicrosSql('occurred_at')} AS occurred_at, actor_type, actor_email, token_name,
              -- A refused call may not have its app resolved; its path still names it.
              COALESCE(NULLIF(app, ''), substring(path from '/apps/([^/]+)/releases/'), '') AS app,
              resource_name AS release_id, status, result,
              COALESCE(${approvalIdIn('outcome_details')}, ${approvalIdIn('details')}) AS approval_id
         FROM audit_events
        WHERE action = 'convox:release:promote' AND occurred_at >= $1 AND occurred_at < $2
        ORDER BY chain_index
        LIMIT ${MAX_REPORT_ROWS + 1}`,
      [from, to],
    )) as PromoteRow[];
    const truncated = promotes.length > MAX_REPORT_ROWS;
    const kept = promotes.slice(0, MAX_REPORT_ROWS);
    const approvals = await this.approvalsFor(kept);
    const ids = [...new Set([...approvals.values()].map((a) => a.id))];
    const approverTypes = await this.approverActorTypes(ids);
    const commits = await this.commitsSeen(ids);
    const rows = kept.map((promote) => {
      const approval =
        (promote.approval_id ? approvals.get(promote.approval_id) : undefined) ??
        approvals.get(releaseKey(promote.app, promote.release_id));
      const at = new Date(promote.occurred_at);
      const exceptions: DeploymentException[] = exceptionsOf({
        succeeded: promote.result === 'success',
        actorType: promote.actor_type,
        at,
        releaseId: promote.release_id,
        approval: approval && {
          gitCommit: approval.gitCommit,
          releaseId: approval.releaseId,
          expiresAt: approval.expiresAt,
          createdByUserId: approval.createdByUserId,
          targetTokenOwnerId: approval.targetTokenOwnerId,
          approvedByUserId: approval.approvedByUserId,
          approverActorTypes: approverTypes.get(approval.id) ?? [],
          commitsSeen: commits.get(approval.id) ?? [],
        },
      });
      return toRow(promote, approval, exceptions);
    });
    return { rows, truncated };
  }

  /** Approvals by id, and by `app/release` for promotes whose event does not name one. */
  private async approvalsFor(promotes: PromoteRow[]): Promise<Map<string, DeployApprovalRequestEntity>> {
    const ids = [...new Set(promotes.map((p) => p.approval_id).filter((id): id is string => !!id))];
    const releases = [...new Set(promotes.filter((p) => !p.approval_id).map((p) => p.release_id))];
    const byKey = new Map<string, DeployApprovalRequestEntity>();
    if (ids.length === 0 && releases.length === 0) return byKey;
    // Oldest first, so a release built under two approvals (impossible by the gate) maps to the newest.
    const found = await this.dataSource.manager.find(DeployApprovalRequestEntity, {
      where: [
        ...(ids.length ? [{ id: In(ids) }] : []),
        ...(releases.length ? [{ releaseId: In(releases) }] : []),
      ],
      order: { createdAt: 'ASC' },
    });
    for (const approval of found) {
      byKey.set(approval.id, approval);
      if (approval.releaseId) byKey.set(releaseKey(approval.app, approval.releaseId), approval);
    }
    return byKey;
  }

  /** Who (person or token) approved each request, from the audit log rather than the row. */
  private async approverActorTypes(ids: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (ids.length === 0) return found;
    const rows = (await this.dataSource.query(
      `SELECT resource_name AS id, actor_type FROM audit_events
        WHERE action = $1 AND resource_type = $2 AND resource_name = ANY($3) AND result = 'success'`,
      [APPROVAL_AUDIT_ACTIONS.approve, APPROVAL_RESOURCE_TYPE, ids],
    )) as { id: string; actor_type: string }[];
    for (const row of rows) found.set(row.id, [...(found.get(row.id) ?? []), row.actor_type]);
    return found;
  }

  /** Commits that rack calls under each approval named (the gate records a build's git-sha as `gitCommit`). */
  private async commitsSeen(ids: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (ids.length === 0) return found;
    const rows = (await this.dataSource.query(
      `SELECT id, commit FROM (
         SELECT COALESCE(${approvalIdIn('outcome_details')}, ${approvalIdIn('details')}) AS id,
                substring(COALESCE(outcome_details, '') || details from '"gitCommit":"([^"]{1,64})"') AS commit
           FROM audit_events
          WHERE action LIKE 'convox:%'
            AND ((outcome_details LIKE '%"approvalRequestId"%' AND ${approvalIdIn('outcome_details')} = ANY($1))
              OR (details LIKE '%"approvalRequestId"%' AND ${approvalIdIn('details')} = ANY($1)))
       ) linked WHERE commit IS NOT NULL`,
      [ids],
    )) as { id: string; commit: string }[];
    for (const row of rows) found.set(row.id, [...(found.get(row.id) ?? []), row.commit]);
    return found;
  }
}

function releaseKey(app: string, releaseId: string): string {
  return `${app}/${releaseId}`;
}

function toRow(
  promote: PromoteRow,
  approval: DeployApprovalRequestEntity | undefined,
  exceptions: DeploymentException[],
): DeploymentReportRow {
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    promotedAt: promote.occurred_at,
    app: promote.app,
    releaseId: promote.release_id,
    buildId: approval?.buildId ?? null,
    gitCommit: approval?.gitCommit ?? null,
    promotedBy: promote.actor_email,
    promotedByKind: promote.actor_type,
    promotedByToken: promote.token_name || null,
    result: promote.result,
    status: promote.status,
    auditEventId: promote.event_id,
    approvalRequestId: approval?.id ?? null,
    approvalStatus: approval?.status ?? null,
    requester: approval ? approval.createdByEmail : null,
    requesterToken: approval?.createdByTokenName ?? null,
    approver: approval?.approvedByEmail ?? null,
    approvedAt: iso(approval?.approvedAt),
    approvalExpiresAt: iso(approval?.expiresAt),
    deployedAt: iso(approval?.deployedAt),
    exceptions,
    exceptionDescriptions: exceptions.map((e) => DEPLOYMENT_EXCEPTIONS[e]),
  };
}
