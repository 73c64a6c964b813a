import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Principal } from '../access-control/principal';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { PrincipalRecheckService } from '../auth/principal-recheck.service';
import { AbilityFactory, type PrincipalAbility } from '../rbac/ability.factory';
import { topicsFor, type ChangeEvent } from './live-update-topics';
import { LiveUpdatesFeed } from './live-updates.feed';

export const LIVE_UPDATES_PATH = '/api/v1/live-updates';

/** The close code a listener whose access ended gets (the reason is the cause, e.g. `session_revoked`). */
export const CLOSE_UNAUTHENTICATED = 4401;
const RECHECK_MS = 60_000;

interface Listener {
  socket: WebSocket;
  principal: Principal;
  ability: PrincipalAbility;
}

/**
 * "Something changed" hints for signed-in console users. Only upgrades the access chain admitted reach this
 * (the admin steps, run by the websocket adapter's admission before the upgrade: the session cookie, this
 * gateway's Origin and the session's CSRF token as `?csrf=`, the login's MFA), each carrying its principal.
 * Each hint names only topics the listener may read; the page refetches through the API. A listener whose
 * access ends (revoked, locked, expired) is closed.
 */
@WebSocketGateway({ path: LIVE_UPDATES_PATH })
export class LiveUpdatesGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdatesGateway.name);
  private readonly listeners = new Set<Listener>();
  private stopListening?: () => void;
  private recheckTimer?: NodeJS.Timeout;

  constructor(
    private readonly abilities: AbilityFactory,
    private readonly recheck: PrincipalRecheckService,
    private readonly signal: AccessChangeSignal,
    private readonly feed: LiveUpdatesFeed,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.signal.listen(async (change) => {
      const concerned = [...this.listeners].filter((l) => l.principal.userId === change.userId);
      await Promise.all(concerned.map((listener) => this.refresh(listener)));
    });
    this.recheckTimer = setInterval(
      () => void Promise.all([...this.listeners].map((l) => this.refresh(l))),
      RECHECK_MS,
    );
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    clearInterval(this.recheckTimer);
    for (const listener of this.listeners) listener.socket.terminate();
    this.feed.stop();
  }

  async handleConnection(socket: WebSocket, req: IncomingMessage & { principal?: Principal }): Promise<void> {
    const { principal } = req;
    if (!principal) {
      // Unreachable through the adapter, which upgrades only what the access chain admitted.
      socket.close(1011, 'not_admitted');
      return;
    }
    const listener: Listener = { socket, principal, ability: this.abilities.forPrincipal(principal) };
    this.listeners.add(listener);
    socket.on('close', () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.feed.stop();
    });
    try {
      await this.feed.start((events) => this.deliver(events));
    } catch (error) {
      this.logger.warn({ err: error }, 'live updates: could not start the feed');
      socket.close(1011, 'unavailable');
      return;
    }
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'ready' }));
  }

  private deliver(events: ChangeEvent[]): void {
    for (const listener of this.listeners) {
      const topics = topicsFor(events, { email: listener.principal.email, ability: listener.ability });
      if (topics.length > 0) listener.socket.send(JSON.stringify({ type: 'changed', topics }));
    }
  }

  /** Reads the listener's access again: closed when it ended, otherwise its rights are brought up to date. */
  private async refresh(listener: Listener): Promise<void> {
    try {
      const current = await this.recheck.recheck(listener.principal);
      if (!current.valid) {
        this.listeners.delete(listener);
        listener.socket.close(CLOSE_UNAUTHENTICATED, current.cause);
        return;
      }
      listener.principal = current.principal;
      listener.ability = this.abilities.forPrincipal(current.principal);
    } catch (error) {
      this.logger.warn({ err: error }, 'live updates: re-checking a listener failed');
    }
  }
}
