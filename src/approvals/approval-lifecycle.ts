import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { apiError } from '../access-control/api-error';
import type { ApprovalRequestView } from './approval-request-view';

export type ApprovalLifecycleKind =
  'created' | 'approved' | 'rejected' | 'cancelled' | 'expired' | 'extended' | 'deployed';

/** Who caused a lifecycle change: a person, a token, or the gateway itself (expiry). */
export interface ApprovalLifecycleActor {
  kind: 'user' | 'token' | 'system';
  email: string | null;
  tokenId?: string;
}

export interface ApprovalLifecycleEvent {
  kind: ApprovalLifecycleKind;
  request: ApprovalRequestView;
  actor: ApprovalLifecycleActor;
  notes?: string | null;
  /** When the change was committed. */
  at: string;
}

/**
 * Runs inside the transaction of the change, on its manager. Only for work that must exist exactly when
 * the change does (durable jobs); nothing that talks to the outside world.
 */
export type ApprovalLifecycleListener = (
  event: ApprovalLifecycleEvent,
  within: EntityManager,
) => Promise<void> | void;

/**
 * Tells other modules (notifications, CI providers) that a request changed, inside the transaction that
 * changes it: what they write (their jobs) commits with the change or not at all, so a crash right after
 * the commit cannot lose a notification and a rolled-back change never sends one. A listener's failure
 * therefore fails the change (503): the request stays as it was and the caller may try again.
 */
@Injectable()
export class ApprovalLifecycle {
  private readonly logger = new Logger('ApprovalLifecycle');
  private readonly listeners = new Set<ApprovalLifecycleListener>();

  /** Returns the function that removes the listener. */
  subscribe(listener: ApprovalLifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs every listener in turn on `within`, the open transaction that made the change. */
  async emit(event: ApprovalLifecycleEvent, within: EntityManager): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event, within);
      } catch (error) {
        this.logger.error(
          { err: error, requestId: event.request.id, kind: event.kind },
          'an approval lifecycle listener failed; the change is rolled back',
        );
        throw apiError(
          HttpStatus.SERVICE_UNAVAILABLE,
          'notifications_unavailable',
          `the request was not ${event.kind}: its notifications could not be stored; try again`,
        );
      }
    }
  }
}
