import { Injectable, Logger } from '@nestjs/common';
import type { AccessChange, AccessChangeListener, AccessChangeOrigin } from './access-change';

/**
 * The in-process "access changed" signal. Services that change credentials or roles `raise` a change once
 * it is committed; whoever holds state derived from an earlier decision (the live websockets) listens.
 *
 * Other gateway processes hear of changes through AccessChangeRelay: it listens for `local` changes and
 * publishes them, and delivers what other processes published with `raise(change, 'remote')` (which it
 * does not publish again).
 */
@Injectable()
export class AccessChangeSignal {
  private readonly logger = new Logger(AccessChangeSignal.name);
  private readonly listeners = new Set<AccessChangeListener>();

  /** Returns the function that removes the listener again. */
  listen(listener: AccessChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener and waits for all of them; a failing listener is logged, never thrown. */
  async raise(change: AccessChange, origin: AccessChangeOrigin = 'local'): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(change, origin);
        } catch (error) {
          this.logger.error({ err: error, change: change.kind }, 'access change listener failed');
        }
      }),
    );
  }
}
