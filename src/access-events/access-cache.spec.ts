import { AccessCache } from './access-cache';

function cacheWithClock() {
  const clock = { now: 1_000, trusted: true };
  const cache = new AccessCache<string>(
    () => clock.trusted,
    5_000,
    3,
    () => clock.now,
  );
  return { cache, clock };
}

describe('AccessCache', () => {
  it('serves a stored row until it ages out', () => {
    const { cache, clock } = cacheWithClock();
    cache.store(cache.beginFill(), 'hash-a', 'token-a', { userId: 'u1', tokenId: 't1' });
    expect(cache.peek('hash-a')).toBe('token-a');
    clock.now += 5_000;
    expect(cache.peek('hash-a')).toBeUndefined();
  });

  it('drops the rows of a user, a token or a session, and only those', () => {
    const { cache } = cacheWithClock();
    cache.store(cache.beginFill(), 'token-of-u1', 'a', { userId: 'u1', tokenId: 't1' });
    cache.store(cache.beginFill(), 'session-of-u1', 'b', { userId: 'u1', sessionId: 's1' });
    cache.store(cache.beginFill(), 'token-of-u2', 'c', { userId: 'u2', tokenId: 't2' });
    cache.invalidate({ tokenId: 't1' });
    expect(cache.peek('token-of-u1')).toBeUndefined();
    expect(cache.peek('session-of-u1')).toBe('b');
    cache.invalidate({ userId: 'u1' });
    expect(cache.peek('session-of-u1')).toBeUndefined();
    expect(cache.peek('token-of-u2')).toBe('c');
  });

  it('does not store a row read before an invalidation that overtook it', () => {
    const { cache } = cacheWithClock();
    const fill = cache.beginFill();
    // The row was read from the database here; a revocation of another token is heard before it is stored.
    cache.invalidate({ tokenId: 'unrelated' });
    cache.store(fill, 'hash-a', 'stale', { userId: 'u1', tokenId: 't1' });
    expect(cache.peek('hash-a')).toBeUndefined();
  });

  it('serves and stores nothing while it cannot be trusted (the bus is not listening)', () => {
    const { cache, clock } = cacheWithClock();
    cache.store(cache.beginFill(), 'hash-a', 'token-a', { userId: 'u1' });
    clock.trusted = false;
    expect(cache.peek('hash-a')).toBeUndefined();
    cache.store(cache.beginFill(), 'hash-b', 'token-b', { userId: 'u2' });
    clock.trusted = true;
    expect(cache.peek('hash-b')).toBeUndefined();
  });

  it('keeps at most its limit, forgetting the oldest row first', () => {
    const { cache } = cacheWithClock();
    for (const key of ['a', 'b', 'c', 'd']) cache.store(cache.beginFill(), key, key, { userId: key });
    expect(cache.size).toBe(3);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('d')).toBe('d');
  });
});
