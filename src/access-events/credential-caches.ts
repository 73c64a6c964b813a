import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { NotificationBus } from '../database/notification-bus';
import { AccessCache, type AccessCacheTags } from './access-cache';
import type { AccessChange } from './access-change';
import { ACCESS_CHANGES_TOPIC } from './access-change-relay';
import { AccessChangeSignal } from './access-change.signal';

/**
 * How long a cached credential row may serve without being read again. Every change that takes access
 * away is heard within milliseconds (below); this bounds what is not announced — a display name — and a
 * change whose notification could not be published (the database failed right after the commit).
 */
export const CREDENTIAL_CACHE_TTL_MS = 5_000;

/** Which cached rows a change concerns: the user's, and the one token or session it names. */
export function tagsOf(change: AccessChange): Partial<AccessCacheTags> {
  return {
    userId: change.userId,
    tokenId: change.kind === 'token_revoked' ? change.tokenId : undefined,
    sessionId: change.kind === 'session_revoked' ? change.sessionId : undefined,
  };
}

/**
 * The caches that let the authentication path answer from memory (API token, session and user rows), kept
 * current across gateway processes: every access change raised here or relayed from another process
 * (revocation, lock, delete, role or binding change) drops the rows it concerns, and whenever the
 * notification bus is not listening the caches are bypassed and emptied, since changes would go unheard
 * (fail closed: the database answers every request until the bus is back).
 */
@Injectable()
export class CredentialCaches implements OnModuleInit, OnModuleDestroy {
  private readonly caches: AccessCache<unknown>[] = [];
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly signal: AccessChangeSignal,
    private readonly bus: NotificationBus,
  ) {}

  /** A new cache of rows of one kind, invalidated with all the others. */
  create<T>(): AccessCache<T> {
    const cache = new AccessCache<T>(() => this.bus.listening, CREDENTIAL_CACHE_TTL_MS);
    this.caches.push(cache as AccessCache<unknown>);
    return cache;
  }

  /** Drops every cached row, as when notifications may have been missed (rows changed behind our back). */
  clear(): void {
    this.caches.forEach((cache) => cache.clear());
  }

  onModuleInit(): void {
    this.stops.push(
      this.signal.listen((change) => this.caches.forEach((cache) => cache.invalidate(tagsOf(change)))),
      // Changes themselves arrive through the relay and the signal; the bus tells us when some may be lost.
      this.bus.subscribe(ACCESS_CHANGES_TOPIC, {
        message: () => undefined,
        reset: () => this.clear(),
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
