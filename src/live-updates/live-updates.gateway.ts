import { HttpException, Inject, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Principal } from '../access-control/principal';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { clientAddressOf } from '../audit/client-address';
import { AuthService } from '../auth/auth.service';
import { CsrfService } from '../auth/csrf.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PrincipalRecheckService } from '../auth/principal-recheck.service';
import { MfaEnforcementService } from '../mfa/mfa-enforcement.service';
import { trustedDeviceTokenOf } from '../mfa/mfa-request';
import { AbilityFactory, type PrincipalAbility } from '../rbac/ability.factory';
import { topicsFor, type ChangeEvent } from './live-update-topics';
import { LiveUpdatesFeed } from './live-updates.feed';

export const LIVE_UPDATES_PATH = '/api/v1/live-updates';

/** Close codes a refused or ended listener gets (the reason is the error code). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_FORBIDDEN = 4403;
const RECHECK_MS = 60_000;

interface Listener {
  socket: WebSocket;
  principal: Principal;
  ability: PrincipalAbility;
}

/**
 * "Something changed" hints for signed-in console users. The upgrade is admitted like a console request:
 * the session cookie, this gateway's Origin, the session's CSRF token (as `?csrf=`, since a websocket
 * cannot send headers), and a passed MFA check. Each hint names only topics the listener may read; the page
 * refetches through the API. A listener whose access ends (revoked, locked, expired) is closed.
 */
@WebSocketGateway({ path: LIVE_UPDATES_PATH })
export class LiveUpdatesGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdatesGateway.name);
  private readonly listeners = new Set<Listener>();
  private stopListening?: () => void;
  private recheckTimer?: NodeJS.Timeout;

  constructor(
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly mfa: MfaEnforcementService,
    private readonly abilities: AbilityFactory,
    private readonly recheck: PrincipalRecheckService,
    private readonly signal: AccessChangeSignal,
    private readonly feed: LiveUpdatesFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  async handleConnection(socket: WebSocket, req: IncomingMessage): Promise<void> {
    let principal: Principal;
    try {
      principal = await this.admit(req);
    } catch (error) {
      const { code, reason } = refusalOf(error);
      socket.close(code, reason);
      return;
    }
    if (socket.readyState !== socket.OPEN) return;
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

  private async admit(req: IncomingMessage): Promise<Principal> {
    this.csrf.checkOrigin(req.headers);
    const { principal } = await this.auth.authenticate({
      headers: req.headers,
      clientIp: clientAddressOf(req, this.config.http.trustProxyHops),
      url: req.url ?? '/',
      request: req,
    });
    if (principal.kind !== 'user' || !principal.sessionId)
      throw new Refused(CLOSE_FORBIDDEN, 'session_required');
    const csrfToken = new URL(req.url ?? '/', 'http://localhost').searchParams.get('csrf') ?? '';
    this.csrf.checkToken({ 'x-csrf-token': csrfToken }, principal.sessionId);
    const refusal = await this.mfa.check({
      principal,
      level: 'none',
      exemptFromLogin: false,
      trustedDeviceToken: trustedDeviceTokenOf(req.headers),
      forProxy: false,
    });
    if (refusal) throw new Refused(CLOSE_UNAUTHENTICATED, refusal.code);
    return principal;
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

class Refused extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The close code and reason for a refused upgrade: 4401 for who-you-are, 4403 for the rest. */
function refusalOf(error: unknown): { code: number; reason: string } {
  if (error instanceof Refused) return { code: error.code, reason: error.reason };
  if (error instanceof HttpException) {
    const body = error.getResponse() as { error?: string };
    const reason = typeof body === 'object' && body?.error ? body.error : 'refused';
    return { code: error.getStatus() === 401 ? CLOSE_UNAUTHENTICATED : CLOSE_FORBIDDEN, reason };
  }
  return { code: 1011, reason: 'internal_error' };
}
