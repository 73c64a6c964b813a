import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../access-control/principal';
import { SettingsService } from '../settings/settings.service';
import { approvalLink } from './approval-audit';
import { ApprovalExpiry } from './approval-expiry.service';
import { ApprovalLifecycle, type ApprovalLifecycleKind } from './approval-lifecycle';
import { approvalRefusal } from './approval-refusals';
import { lifecycleActor } from './approval-requests.service';
import { toApprovalRequestView } from './approval-request-view';
import { ApprovalStore } from './approval-store';
import type { DeployApprovalRequestEntity } from './deploy-approval-request.entity';

/**
 * What approvers do: approve, reject, extend. Only people (never API tokens, whoever owns them), with the
 * approve permission and a fresh second factor (both checked by the guards before this runs), and —
 * unless `approvals.allow_self_approval` — never on a request they made or whose token they own.
 */
@Injectable()
export class ApprovalDecisionsService {
  constructor(
    private readonly store: ApprovalStore,
    private readonly expiry: ApprovalExpiry,
    private readonly lifecycle: ApprovalLifecycle,
    private readonly settings: SettingsService,
    private readonly audit: AuditRecorder,
  ) {}

  async approve(principal: Principal, id: string, notes?: string): Promise<DeployApprovalRequestEntity> {
    const current = await this.decidable(principal, id, true);
    if (current.status !== 'pending') throw approvalRefusal.notOpen(id, current.status, 'approved');
    const windowSeconds = await this.settings.get('approvals.approval_window');
    const row = await this.changeAnnounced(principal, 'approved', notes, (manager) =>
      this.store.transition(
        id,
        'approved',
        {
          approvedAt: () => 'now()',
          approvedByUserId: principal.userId,
          approvedByEmail: principal.email,
          approvalNotes: notes ?? null,
          expiresAt: () => `now() + make_interval(secs => ${Math.trunc(windowSeconds)})`,
        },
        manager,
        { where: 'expires_at > now()' },
      ),
    );
    return this.settled(row, id, 'approved');
  }

  async reject(principal: Principal, id: string, notes?: string): Promise<DeployApprovalRequestEntity> {
    await this.decidable(principal, id, false);
    const row = await this.changeAnnounced(principal, 'rejected', notes, (manager) =>
      this.store.transition(
        id,
        'rejected',
        {
          rejectedAt: () => 'now()',
          rejectedByUserId: principal.userId,
          rejectedByEmail: principal.email,
          rejectionNotes: notes ?? null,
        },
        manager,
      ),
    );
    return this.settled(row, id, 'rejected');
  }

  /** A new window from now for an approval that has not expired yet (an expired one stays expired). */
  async extend(principal: Principal, id: string, notes?: string): Promise<DeployApprovalRequestEntity> {
    const current = await this.decidable(principal, id, true);
    if (current.status !== 'approved') throw approvalRefusal.notOpen(id, current.status, 'extended');
    const windowSeconds = await this.settings.get('approvals.approval_window');
    const newExpiry = `now() + make_interval(secs => ${Math.trunc(windowSeconds)})`;
    const row = await this.changeAnnounced(principal, 'extended', notes, (manager) =>
      this.store.transition(
        id,
        'approved',
        { expiresAt: () => `GREATEST(expires_at, ${newExpiry})` },
        manager,
        {
          from: ['approved'],
          where: 'expires_at > now()',
        },
      ),
    );
    return this.settled(row, id, 'extended');
  }

  /**
   * The checks every decision shares; persists an expiry that is due first, so nobody decides on a request
   * that is over. `fourEyes` applies to approve and extend (rejecting one's own request is harmless).
   */
  private async decidable(
    principal: Principal,
    id: string,
    fourEyes: boolean,
  ): Promise<DeployApprovalRequestEntity> {
    this.audit.annotate(approvalLink(id));
    if (principal.kind !== 'user') throw approvalRefusal.personRequired();
    if (fourEyes && !(await this.settings.get('approvals.enabled'))) throw approvalRefusal.disabled();
    await this.expiry.expireDue({ id });
    const current = await this.store.find(id);
    if (!current) throw approvalRefusal.notFound(id);
    if (current.status === 'expired') throw approvalRefusal.expired(id, current.expiresAt);
    if (fourEyes && !(await this.settings.get('approvals.allow_self_approval'))) {
      // A token's request is stored with its owner as creator: say so, or the owner reads "you requested".
      if (current.createdByUserId === principal.userId)
        throw approvalRefusal.fourEyes(
          current.createdByTokenId
            ? 'an API token you own requested this deploy'
            : 'you requested this deploy',
        );
      if (current.targetTokenOwnerId === principal.userId) {
        throw approvalRefusal.fourEyes('you own the API token that would deploy');
      }
    }
    return current;
  }

  /** Makes the change and, in its transaction, tells the lifecycle (whose jobs commit with it). */
  private changeAnnounced(
    principal: Principal,
    kind: ApprovalLifecycleKind,
    notes: string | undefined,
    change: (manager: EntityManager) => Promise<DeployApprovalRequestEntity | undefined>,
  ): Promise<DeployApprovalRequestEntity | undefined> {
    return this.store.transaction(async (manager) => {
      const row = await change(manager);
      if (row) {
        await this.lifecycle.emit(
          {
            kind,
            request: toApprovalRequestView(row),
            actor: lifecycleActor(principal),
            notes: notes ?? null,
            at: row.updatedAt.toISOString(),
          },
          manager,
        );
      }
      return row;
    });
  }

  /** The changed row, or the refusal that says why nothing changed. */
  private async settled(
    row: DeployApprovalRequestEntity | undefined,
    id: string,
    verb: string,
  ): Promise<DeployApprovalRequestEntity> {
    if (!row) {
      // Lost a race with another decision or the expiry: say what the request is now.
      const now = await this.store.find(id);
      if (!now) throw approvalRefusal.notFound(id);
      if (now.status === 'expired' || now.expiresAt.getTime() <= Date.now())
        throw approvalRefusal.expired(id, now.expiresAt);
      throw approvalRefusal.notOpen(id, now.status, verb);
    }
    this.audit.annotate({ status: row.status, expiresAt: row.expiresAt.toISOString() });
    return row;
  }
}
