import type { Principal } from '../../auth/principal';
import { LiveWebsockets, type LiveWebsocket } from './live-websockets';

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
});
