import { openLiveWebsocket, type LiveWebsocket } from '../proxy/live-websocket';
import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';
import { adminSession, call, tokenOf } from './roles-fixture';

/**
 * Live websockets and roles as data: app scopes apply to websocket routes as to HTTP ones, and a role or
 * binding change ends the streams that no longer pass, within a second.
 */
describe('websockets under custom roles and app-scoped bindings', () => {
  let stack: ProxyStack;
  /** Roles and users change only through a session: they are `always` MFA actions, closed to tokens. */
  let session: string;
  let wsBase: string;
  const open: LiveWebsocket[] = [];

  beforeAll(async () => {
    stack = await startProxyStack();
    wsBase = stack.proxyUrl.replace(/^http/, 'ws');
    session = await adminSession(stack.gateway);
    const role = await call(stack.gateway, session, 'POST', '/roles', {
      name: 'log-reader',
      permissions: ['convox:log:read', 'convox:app:read'],
    });
    expect(role.status).toBe(201);
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.ws.terminate();
  });
  afterAll(() => stack?.close());

  async function userWith(email: string, bindings: unknown): Promise<string> {
    const res = await call(stack.gateway, session, 'POST', '/users', { email, bindings });
    expect(res.status).toBe(201);
    return tokenOf(stack.gateway, email);
  }

  function logs(token: string, app = 'myapp'): LiveWebsocket {
    const socket = openLiveWebsocket(`${wsBase}/apps/${app}/logs?`, {
      authorization: cliAuth(token),
      Since: '1h',
      Prefix: 'true',
    });
    open.push(socket);
    return socket;
  }

  async function endedWithin(socket: LiveWebsocket, since: number) {
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('the stream was still open 2 s after the change')), 2000),
      ),
    ]);
    expect(closed.at - since).toBeLessThan(1000);
    return closed;
  }

  it('opens a stream on an app in scope and refuses one outside it, naming the scope in-band', async () => {
    const token = await userWith('scoped-logs@example.com', [{ role: 'log-reader', apps: ['my*'] }]);
    await logs(token).waitForText('[pod/');
    const refused = logs(token, 'other');
    const closed = await refused.closed;
    expect(refused.text()).toContain(
      'ERROR: permission denied: convox:log:read on app other (held only as log-reader on my*)',
    );
    expect(closed.code).not.toBe(1000);
  });

  it('changing the custom role ends the streams that needed what it lost', async () => {
    const token = await userWith('role-logs@example.com', [{ role: 'log-reader' }]);
    const stream = logs(token);
    await stream.waitForText('[pod/');
    const since = Date.now();
    const changed = await call(stack.gateway, session, 'PATCH', '/roles/log-reader', {
      permissions: ['convox:app:read'],
    });
    expect(changed.status).toBe(200);
    const closed = await endedWithin(stream, since);
    expect({ code: closed.code, reason: closed.reason }).toEqual({
      code: 4403,
      reason: 'permission revoked: convox:log:read',
    });
    await call(stack.gateway, session, 'PATCH', '/roles/log-reader', {
      permissions: ['convox:log:read', 'convox:app:read'],
    });
  });

  it('narrowing a binding away from the app ends the stream; a binding still covering it keeps it', async () => {
    const token = await userWith('binding-logs@example.com', [{ role: 'log-reader', apps: ['myapp'] }]);
    const stream = logs(token);
    await stream.waitForText('[pod/');
    await call(stack.gateway, session, 'PATCH', '/users/binding-logs@example.com', {
      bindings: [{ role: 'log-reader', apps: ['my*', 'web-*'] }],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.ws.readyState).toBe(stream.ws.OPEN);
    const since = Date.now();
    await call(stack.gateway, session, 'PATCH', '/users/binding-logs@example.com', {
      bindings: [{ role: 'log-reader', apps: ['web-*'] }],
    });
    expect((await endedWithin(stream, since)).code).toBe(4403);
  });
});
