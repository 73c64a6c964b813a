import { parseAccessChange, type AccessChange } from './access-change';
import { AccessChangeSignal } from './access-change.signal';

describe('AccessChange', () => {
  it('survives a JSON round trip, so another process can deliver it', () => {
    const change: AccessChange = {
      kind: 'token_revoked',
      tokenId: 't1',
      userId: 'u1',
      by: 'admin@example.com',
    };
    expect(parseAccessChange(JSON.stringify(change))).toEqual(change);
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown kind', JSON.stringify({ kind: 'user_promoted', userId: 'u1', by: null })],
    ['no user', JSON.stringify({ kind: 'user_locked', by: null })],
    [
      'a token revocation without the token',
      JSON.stringify({ kind: 'token_revoked', userId: 'u1', by: null }),
    ],
    ['a bad actor', JSON.stringify({ kind: 'user_locked', userId: 'u1', by: 3 })],
  ])('rejects %s', (_name, json) => {
    expect(parseAccessChange(json)).toBeUndefined();
  });
});

describe('AccessChangeSignal', () => {
  it('waits for every listener, tells them the origin, and survives one that fails', async () => {
    const signal = new AccessChangeSignal();
    const heard: string[] = [];
    signal.listen(async (change, origin) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      heard.push(`${change.kind}/${origin}`);
    });
    signal.listen(() => {
      throw new Error('broken listener');
    });
    const stop = signal.listen((change) => void heard.push(`second:${change.kind}`));
    await signal.raise({ kind: 'user_locked', userId: 'u1', by: null });
    expect(heard.sort()).toEqual(['second:user_locked', 'user_locked/local']);
    stop();
    await signal.raise({ kind: 'user_deleted', userId: 'u1', by: null }, 'remote');
    expect(heard).toContain('user_deleted/remote');
    expect(heard).not.toContain('second:user_deleted');
  });
});
