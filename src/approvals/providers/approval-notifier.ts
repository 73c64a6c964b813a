import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationsService } from '../../notifications/notifications.service';
import type { ApprovalEvent } from '../../notifications/notice';
import {
  ApprovalLifecycle,
  type ApprovalLifecycleActor,
  type ApprovalLifecycleEvent,
  type ApprovalLifecycleKind,
} from '../approval-lifecycle';
import type { ApprovalRequestView } from '../approval-request-view';

// An extension only moves the deadline of an approval people were already told about.
const NOTIFIED: Partial<Record<ApprovalLifecycleKind, ApprovalEvent>> = {
  created: 'created',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  deployed: 'deployed',
};

/** Queues a notification for each lifecycle change of a deploy-approval request, in the change's transaction. */
@Injectable()
export class ApprovalNotifier implements OnModuleInit {
  constructor(
    private readonly lifecycle: ApprovalLifecycle,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.lifecycle.subscribe((event, within) => this.notify(event, within));
  }

  private async notify(
    { kind, request, actor, notes, at }: ApprovalLifecycleEvent,
    within: EntityManager,
  ): Promise<void> {
    const event = NOTIFIED[kind];
    if (!event) return;
    const creator = request.createdBy;
    await this.notifications.approval(
      {
        event,
        requestId: request.id,
        app: request.app,
        gitCommit: request.gitCommit,
        gitBranch: request.gitBranch,
        message: request.message,
        requestedBy:
          creator.kind === 'token'
            ? `token ${creator.tokenName ?? creator.tokenId} (${creator.email})`
            : creator.email,
        // The creator is already named as the requester; the gateway itself expires requests.
        actor:
          kind === 'created' || actor.kind === 'system'
            ? null
            : actor.kind === 'token'
              ? tokenActor(actor, request)
              : actor.email,
        notes: notes ?? null,
        occurredAt: at,
      },
      within,
    );
  }
}

/** A token named the way the requester line names one (the deploying token is the request's target). */
function tokenActor(actor: ApprovalLifecycleActor, request: ApprovalRequestView): string {
  const owner = actor.email ?? 'a deleted user';
  const target = request.targetToken;
  return actor.tokenId === target.id ? `token ${target.name} (${owner})` : `token of ${owner}`;
}
