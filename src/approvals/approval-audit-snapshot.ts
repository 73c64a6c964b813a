import { Injectable } from '@nestjs/common';
import {
  AuditSnapshot,
  type AuditSnapshotTarget,
  type AuditState,
  isoOrNull,
  uuidOrUndefined,
} from '../audit/audit-snapshot';
import { ApprovalStore } from './approval-store';

/**
 * The deploy approval request a lifecycle route changes: its id, status, what it is for and who decided.
 * Before a create there is none; after it, the created (or already open) request named by the answer.
 */
@Injectable()
export class ApprovalAuditSnapshot extends AuditSnapshot {
  constructor(private readonly store: ApprovalStore) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const fromResult =
      target.result && typeof target.result === 'object' ? (target.result as { id?: unknown }).id : undefined;
    const id = uuidOrUndefined(target.params.id ?? (typeof fromResult === 'string' ? fromResult : undefined));
    const row = id ? await this.store.find(id) : null;
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      app: row.app,
      gitCommit: row.gitCommit,
      targetTokenId: row.targetTokenId,
      expiresAt: row.expiresAt.toISOString(),
      approvedBy: row.approvedByEmail,
      rejectedBy: row.rejectedByEmail,
      cancelledBy: row.cancelledByEmail,
      deployedAt: isoOrNull(row.deployedAt),
    };
  }
}
