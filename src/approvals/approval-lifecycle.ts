import { Injectable, Logger } from '@nestjs/common';
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

export type ApprovalLifecycleListener = (event: ApprovalLifecycleEvent) => void | Promise<void>;

/**
 * Tells other modules (notifications, CI providers, live updates) that a request changed, after the
 * change is committed, in the gateway process that made it. A listener's failure is logged and never
 * undoes or fails the change; listeners that must not lose work put it on a durable queue.
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

  /** Resolves once every listener has run (or failed), so callers can await delivery where it matters. */
  async emit(event: ApprovalLifecycleEvent): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(event);
        } catch (error) {
          this.logger.error(
            { err: error, requestId: event.request.id, kind: event.kind },
            'an approval lifecycle listener failed',
          );
        }
      }),
    );
  }
}
