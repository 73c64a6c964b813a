import { Client } from 'pg';
import { SessionsService } from '../../src/sessions/sessions.service';
import { CONVOX_ROUTES } from '../../src/rbac/convox-routes';
import { UsersService } from '../../src/users/users.service';
import { createTokenSubject } from './token-subject';
import { openLiveWebsocket, type LiveWebsocket } from './live-websocket';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

/**
 * A live websocket ends within a second of its access being taken away — token or session revoked, user
 * locked or deleted, the permission it was opened with removed — with a close frame that says why, and
 * the audit names who ended it. Sessions whose access still holds keep streaming.
 */
interface AuditRow {
  id: string;
  action: string;
  result: string;
  status: number | null;
  outcome_details: string | null;
}

/** A way to keep each websocket route's stream open on the mock rack, and to see that it is live. */
interface LiveRoute {
  path: string;
  headers?: Record<string, string>;
  /** Sent once open; the stream is live when `expect` has come back. */
  send?: string;
  expect: string;
}

/** The websocket routes whose mock stream stays open until the client (or the gateway) ends it. */
const LIVE_ROUTE_PATTERNS = [
  '/apps/:app/logs',
  '/apps/:app/services/:service/logs',
  '/apps/:app/processes/:pid/logs',
  '/apps/:app/processes/:pid/exec',
  '/apps/:app/resources/:name/console',
  '/instances/:id/shell',
  '/proxy/:host/:port',
];

/** Routes whose mock stream ends by itself at once, so there is nothing live to end. */
const ENDS_BY_ITSELF: Record<string, string> = {
  '/apps/:app/builds/:id/logs': 'follows a build only while it runs; the seeded builds are complete',
  '/system/logs': 'v3 racks answer "unimplemented" in-band and end the stream',
};

describe('live websockets end when their access is taken away', () => {
  let stack: ProxyStack;
  let db: Client;
  let adminAuth: string;
  let wsBase: string;
  let subjects = 0;
  let liveRoutes: Record<string, LiveRoute>;
  const open: LiveWebsocket[] = [];

  beforeAll(async () => {
    stack = await startProxyStack();
    wsBase = stack.proxyUrl.replace(/^http/, 'ws');
    // A person, not a token: locking, deleting and changing roles are `always` MFA actions, which API tokens
    // can never perform (MFA does not apply in tests to a person who has not enrolled).
    const adminUser = await stack.gateway.app.get(UsersService).getByEmail('admin@example.com');
    const adminSession = await stack.gateway.app.get(SessionsService).create(adminUser.id, 'cli', {});
    adminAuth = `Bearer ${adminSession.token}`;
    db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
    const read = async <T>(path: string) =>
      (await (
        await fetch(`${stack.proxyUrl}${path}?`, { headers: { authorization: cliAuth(stack.tokens.admin) } })
      ).json()) as T;
    const [pid] = (await read<Array<{ id: string }>>('/apps/myapp/processes')).map((p) => p.id);
    const [resource] = (await read<Array<{ name: string }>>('/apps/myapp/resources')).map((r) => r.name);
    const [instance] = (await read<Array<{ id: string }>>('/instances')).map((i) => i.id);
    liveRoutes = {
      '/apps/:app/logs': {
        path: '/apps/myapp/logs',
        headers: { Since: '1h', Prefix: 'true' },
        expect: '[pod/',
      },
      '/apps/:app/services/:service/logs': {
        path: '/apps/myapp/services/web/logs',
        headers: { Since: '1h', Prefix: 'true' },
        expect: '[pod/',
      },
      '/apps/:app/processes/:pid/logs': { path: `/apps/myapp/processes/${pid}/logs`, expect: ' ' },
      '/apps/:app/processes/:pid/exec': {
        path: '/apps/myapp/processes/web/exec',
        headers: { Command: 'cat', Tty: 'false' },
        send: 'still-here\n',
        expect: 'still-here',
      },
      '/apps/:app/resources/:name/console': {
        path: `/apps/myapp/resources/${resource}/console`,
        expect: 'mock console',
      },
      '/instances/:id/shell': {
        path: `/instances/${instance}/shell`,
        headers: { Command: 'cat' },
        send: 'still-here\n',
        expect: 'still-here',
      },
      '/proxy/:host/:port': { path: '/proxy/db.internal/5432', send: 'tunnelled', expect: 'tunnelled' },
    };
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.ws.terminate();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  function subject(roles: string[]) {
    subjects += 1;
    return createTokenSubject(stack, `subject-${subjects}@example.com`, roles);
  }

  async function stream(credential: string, route = '/apps/:app/logs'): Promise<LiveWebsocket> {
    const live = liveRoutes[route];
    const socket = openLiveWebsocket(`${wsBase}${live.path}`, {
      authorization: cliAuth(credential),
      ...live.headers,
    });
    open.push(socket);
    if (live.send) socket.ws.once('open', () => socket.ws.send(live.send!, { binary: false }));
    await socket.waitForText(live.expect);
    return socket;
  }

  async function admin(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${stack.gateway.url}/api/v1${path}`, {
      method,
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return response;
  }

  /** The one event of a request once it has its outcome. */
  async function eventOf(requestId: string): Promise<AuditRow> {
    expect(requestId).not.toBe('');
    const deadline = Date.now() + 5000;
    for (;;) {
      const { rows } = await db.query<AuditRow>(
        'SELECT id, action, result, status, outcome_details FROM audit_events WHERE request_id = $1',
        [requestId],
      );
      if ((rows.length === 1 && rows[0].result !== 'open') || Date.now() > deadline) {
        expect(rows).toHaveLength(1);
        return rows[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function expectEndedWithin(socket: LiveWebsocket, since: number, code: number, reason: string) {
    // On a gateway that does not end it, the stream would run on: give up after two seconds.
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('the stream was still open 2 s after the change')), 2000),
      ),
    ]);
    expect({ code: closed.code, reason: closed.reason }).toEqual({ code, reason });
    expect(closed.at - since).toBeLessThan(1000);
    // The reason also arrives in-band, where the convox CLI prints it.
    expect(socket.text()).toContain(`ERROR: ${reason}\n`);
  }

  it('covers every websocket route in the route table', () => {
    const websocketRoutes = CONVOX_ROUTES.filter((r) => r.kind === 'websocket').map((r) => r.pattern);
    expect(Object.keys(liveRoutes).sort()).toEqual([...LIVE_ROUTE_PATTERNS].sort());
    expect([...LIVE_ROUTE_PATTERNS, ...Object.keys(ENDS_BY_ITSELF)].sort()).toEqual(websocketRoutes.sort());
  });

  it('revoking a token ends its logs stream, and the audit names who did it and why', async () => {
    const { token, tokenId } = await subject(['ops']);
    const socket = await stream(token);
    const since = Date.now();
    const revoke = await admin('DELETE', `/api-tokens/${tokenId}`);
    await expectEndedWithin(socket, since, 4401, 'token revoked');

    const session = await eventOf(socket.requestId());
    expect(session).toMatchObject({ action: 'convox:log:read', status: 101, result: 'denied' });
    expect(JSON.parse(session.outcome_details ?? '{}')).toMatchObject({
      endedBy: 'admin@example.com',
      endCause: 'token_revoked',
      closeCode: 4401,
    });
    const revocation = await eventOf(revoke.headers.get('x-request-id') ?? '');
    expect(revocation.action).toBe('gateway:token:revoke');
    expect(JSON.parse(revocation.outcome_details ?? '{}')).toMatchObject({ websocketsEnded: [session.id] });
  });

  describe('on every websocket route that stays open', () => {
    it.each(LIVE_ROUTE_PATTERNS)('a token revocation ends %s', async (route) => {
      const { token, tokenId } = await subject(['admin']);
      const socket = await stream(token, route);
      const since = Date.now();
      await admin('DELETE', `/api-tokens/${tokenId}`);
      await expectEndedWithin(socket, since, 4401, 'token revoked');
    });
  });

  it('revoking a session ends the streams opened with it, not those of the same user’s token', async () => {
    const { user, token } = await subject(['ops']);
    const login = await stack.gateway.app.get(SessionsService).create(user.id, 'cli', {});
    const bySession = await stream(login.token);
    const byToken = await stream(token);
    const since = Date.now();
    await admin('DELETE', `/sessions/${login.session.id}`);
    await expectEndedWithin(bySession, since, 4401, 'session revoked');
    expect(byToken.ws.readyState).toBe(byToken.ws.OPEN);
  });

  it('locking a user ends all their streams', async () => {
    const { user, token } = await subject(['ops']);
    const login = await stack.gateway.app.get(SessionsService).create(user.id, 'cli', {});
    const sockets = [await stream(token), await stream(login.token)];
    const since = Date.now();
    await admin('POST', `/users/${user.email}/lock`, { reason: 'left the company' });
    for (const socket of sockets) await expectEndedWithin(socket, since, 4401, 'user locked');
  });

  it('deleting a user ends their streams', async () => {
    const { user, token } = await subject(['ops']);
    const socket = await stream(token);
    const since = Date.now();
    await admin('DELETE', `/users/${user.email}`);
    await expectEndedWithin(socket, since, 4401, 'user deleted');
  });

  it('taking away a role ends only the streams that needed it', async () => {
    const { user, token } = await subject(['ops']);
    const exec = await stream(token, '/apps/:app/processes/:pid/exec');
    const logs = await stream(token);
    const since = Date.now();
    await admin('PATCH', `/users/${user.email}`, { roles: ['viewer'] });
    await expectEndedWithin(exec, since, 4403, 'permission revoked: convox:process:exec');
    const execEvent = await eventOf(exec.requestId());
    expect(JSON.parse(execEvent.outcome_details ?? '{}')).toMatchObject({
      endedBy: 'admin@example.com',
      endCause: 'permission_revoked',
      permissionRevoked: 'convox:process:exec',
    });
    // Viewers still read logs: that stream was decided again and kept.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logs.ws.readyState).toBe(logs.ws.OPEN);
  });
});
