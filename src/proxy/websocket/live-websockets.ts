import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessChange } from '../../access-events/access-change';
import type { Principal } from '../../access-control/principal';
import type { Bridge } from './frame-bridge';

/** Who ended a live session and why, for its audit event. */
export interface SessionEndedBy {
  /** The email of whoever changed the access (null: the system, an expiry). */
  actor: string | null;
  /** A stable code: `token_revoked`, `user_locked`, `permission_revoked` … */
  cause: string;
  /** The permission that was taken away, for `permission_revoked`. */
  permission?: string;
}

/** One proxied websocket that is open now, with what it was let in with. */
export interface LiveWebsocket {
  /** Who opened it; replaced by the re-checked principal each time access changes and it still passes. */
  principal: Principal;
  /** The permission the upgrade was authorized with (null for probes). */
  permission: string | null;
  /** What the upgrade asked for, so the same authorizer can decide again. */
  method: string;
  rawPath: string;
  headers: IncomingHttpHeaders;
  /** The session's audit event, named in the audit of whoever ended it. */
  auditEventId: string;
  /** Ends the session with a close frame; false when it was already ending. */
  end(close: { code: number; reason: string }, ended: SessionEndedBy): boolean;
}

/**
 * The open proxied websockets, by the user they belong to (the token owner for API tokens), so an access
 * change finds the sessions it may concern without scanning everything.
 */
@Injectable()
export class LiveWebsockets {
  private readonly byUser = new Map<string, Set<LiveWebsocket>>();

  /** Registers a session; returns the function that forgets it when it ends. */
  add(live: LiveWebsocket): () => void {
    const userId = live.principal.userId;
    const sessions = this.byUser.get(userId) ?? new Set<LiveWebsocket>();
    sessions.add(live);
    this.byUser.set(userId, sessions);
    return () => {
      sessions.delete(live);
      if (sessions.size === 0 && this.byUser.get(userId) === sessions) this.byUser.delete(userId);
    };
  }

  /** The sessions a change may end: those of the revoked token or session, or all of the user's. */
  concernedBy(change: AccessChange): LiveWebsocket[] {
    const sessions = [...(this.byUser.get(change.userId) ?? [])];
    if (change.kind === 'token_revoked')
      return sessions.filter((s) => s.principal.tokenId === change.tokenId);
    if (change.kind === 'session_revoked') {
      return sessions.filter((s) => s.principal.sessionId === change.sessionId);
    }
    return sessions;
  }

  get size(): number {
    let total = 0;
    for (const sessions of this.byUser.values()) total += sessions.size;
    return total;
  }
}

/**
 * One session's entry, registered from the moment it is authorized — before the audit write and the rack
 * dial — so an access change in that window is not missed: it is held and applied as soon as the bridge
 * exists. Whoever registers must `forget` it if the session never gets bridged.
 */
export class LiveSessionHandle {
  endedBy?: SessionEndedBy;
  readonly forget: () => void;
  private readonly entry: LiveWebsocket;
  private bridge?: Bridge;
  private pendingClose?: { code: number; reason: string };

  constructor(registry: LiveWebsockets, fields: Omit<LiveWebsocket, 'auditEventId' | 'end'>) {
    this.entry = { ...fields, auditEventId: '', end: (close, ended) => this.end(close, ended) };
    this.forget = registry.add(this.entry);
  }

  set auditEventId(id: string) {
    this.entry.auditEventId = id;
  }

  get attached(): boolean {
    return this.bridge !== undefined;
  }

  attach(bridge: Bridge): void {
    this.bridge = bridge;
    if (this.pendingClose) bridge.end(this.pendingClose.code, this.pendingClose.reason);
  }

  private end(close: { code: number; reason: string }, ended: SessionEndedBy): boolean {
    if (this.endedBy) return false;
    this.endedBy = ended;
    if (this.bridge) this.bridge.end(close.code, close.reason);
    else this.pendingClose = close;
    return true;
  }
}
