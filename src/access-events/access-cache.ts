/** What an entry is about, so a change to that user, token or session drops it. */
export interface AccessCacheTags {
  userId: string;
  tokenId?: string;
  sessionId?: string;
}

interface Entry<T> {
  value: T;
  tags: AccessCacheTags;
  expiresAt: number;
}

/**
 * A read started while the cache was in a given state. Only a read that no invalidation overtook may be
 * stored: otherwise a row read just before a revocation committed could be cached just after the
 * revocation was heard, and serve the revoked credential until it aged out.
 */
export interface AccessCacheFill {
  readonly generation: number;
}

/**
 * Rows behind credentials (API tokens, sessions, users), kept in memory between requests. Entries are
 * dropped by `invalidate` (an access change heard here or from another process), `clear` (messages may
 * have been missed), or after `ttlMs` at the latest. While `trusted()` is false (the notification bus is
 * not listening, so changes made elsewhere would go unheard) nothing is served or stored.
 *
 * Callers use an entry only to say yes: whatever their checks would refuse on a cached row is read again
 * from the database before it is refused (a cached row may be older than a change that granted access).
 */
export class AccessCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;

  constructor(
    private readonly trusted: () => boolean,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value, if there is one that may be trusted right now. */
  peek(key: string): T | undefined {
    if (!this.trusted()) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Call before reading the row from the database; pass the result to `store` once it is read. */
  beginFill(): AccessCacheFill {
    return { generation: this.generation };
  }

  /** Keeps `value` unless an invalidation happened since `fill` began, or the cache may not be trusted. */
  store(fill: AccessCacheFill, key: string, value: T, tags: AccessCacheTags): void {
    if (fill.generation !== this.generation || !this.trusted()) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { value, tags, expiresAt: this.now() + this.ttlMs });
  }

  /** Drops every entry about any of `tags` (a user's entries, one token's, one session's). */
  invalidate(tags: Partial<AccessCacheTags>): void {
    this.generation += 1;
    for (const [key, { tags: held }] of this.entries) {
      const hit =
        (tags.userId !== undefined && held.userId === tags.userId) ||
        (tags.tokenId !== undefined && held.tokenId === tags.tokenId) ||
        (tags.sessionId !== undefined && held.sessionId === tags.sessionId);
      if (hit) this.entries.delete(key);
    }
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
