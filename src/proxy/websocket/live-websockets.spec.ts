import type { Principal } from '../../access-control/principal';
import type { Bridge } from './frame-bridge';
import { LiveSessionHandle, LiveWebsockets, type LiveWebsocket } from './live-websockets';

function session(principal: Partial<Principal>): LiveWebsocket {
  return {
    principal: {
      kind: 'user',
      userId: 'u1',
      email: 'a@x',
      name: '',
      roles: [],
      permissions: [],
      channel: 'cli',
      ...principal,
    },
    permission: 'convox:log:read',
    method: 'GET',
    rawPath: '/apps/a/logs',
    headers: {},
    auditEventId: 'e',
    end: () => true,
  };
}

describe('LiveWebsockets', () => {
  it('finds the sessions a change concerns: one token, one session, or all of a user', () => {
    const live = new LiveWebsockets();
    const byToken = session({ kind: 'token', tokenId: 't1', channel: 'api-token' });
    const otherToken = session({ kind: 'token', tokenId: 't2', channel: 'api-token' });
    const bySession = session({ sessionId: 's1' });
    const otherUser = session({ userId: 'u2', sessionId: 's9' });
    for (const one of [byToken, otherToken, bySession, otherUser]) live.add(one);

    expect(live.concernedBy({ kind: 'token_revoked', tokenId: 't1', userId: 'u1', by: null })).toEqual([
      byToken,
    ]);
    expect(live.concernedBy({ kind: 'session_revoked', sessionId: 's1', userId: 'u1', by: null })).toEqual([
      bySession,
    ]);
    expect(live.concernedBy({ kind: 'user_roles_changed', userId: 'u1', by: null })).toHaveLength(3);
    expect(live.concernedBy({ kind: 'user_deleted', userId: 'u3', by: null })).toEqual([]);
  });

  it('forgets a session once it ended', () => {
    const live = new LiveWebsockets();
    const forget = live.add(session({ sessionId: 's1' }));
    expect(live.size).toBe(1);
    forget();
    expect(live.size).toBe(0);
    expect(live.concernedBy({ kind: 'user_locked', userId: 'u1', by: null })).toEqual([]);
  });

  it('holds an end that comes while the rack is still being dialed, and applies it once bridged', () => {
    const live = new LiveWebsockets();
    const { principal } = session({ sessionId: 's1' });
    const handle = new LiveSessionHandle(live, {
      principal,
      permission: null,
      method: 'GET',
      rawPath: '/x',
      headers: {},
    });
    const [entry] = live.concernedBy({ kind: 'session_revoked', sessionId: 's1', userId: 'u1', by: null });
    expect(
      entry.end({ code: 4401, reason: 'session revoked' }, { actor: null, cause: 'session_revoked' }),
    ).toBe(true);
    expect(entry.end({ code: 4401, reason: 'again' }, { actor: null, cause: 'session_revoked' })).toBe(false);
    const ends: string[] = [];
    const bridge: Bridge = {
      ended: new Promise(() => undefined),
      end: (code, reason) => void ends.push(`${code} ${reason}`),
    };
    handle.attach(bridge);
    expect(ends).toEqual(['4401 session revoked']);
    expect(handle.endedBy).toEqual({ actor: null, cause: 'session_revoked' });
  });
});
