import { adminSession } from '../settings/settings-fixture';
import { type ChildGateway, sharedGatewaySecrets, startChildGateway } from '../harness/child-gateway';
import { createTokenSubject } from './token-subject';
import { openLiveWebsocket, type LiveWebsocket } from './live-websocket';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from './proxy-stack';

const SECRETS = sharedGatewaySecrets();

/**
 * Two gateway processes on one database: a change made through one process's admin API ends the live
 * websockets the other process holds, within a second and with the reason (the access-change relay on
 * the notification bus).
 */
describe('access changes end live websockets on every gateway process', () => {
  let stack: ProxyStack;
  let second: ChildGateway;
  let adminAuth: string;
  let subjects = 0;
  const open: LiveWebsocket[] = [];

  beforeAll(async () => {
    stack = await startProxyStack({ ...SECRETS, LOG_LEVEL: 'silent' });
    second = await startChildGateway(stack.gateway.databaseUrl, {
      ...SECRETS,
      RACK_URL: stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    // Locking a user is an `always` MFA action, which API tokens can never perform: act as an admin session.
    adminAuth = `Bearer ${await adminSession(stack)}`;
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.ws.terminate();
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.close();
  });

  function subject(roles: string[]) {
    subjects += 1;
    return createTokenSubject(stack, `remote-${subjects}@example.com`, roles);
  }

  /** `convox logs -f` on the second process. */
  async function logsOnSecond(token: string): Promise<LiveWebsocket> {
    const socket = openLiveWebsocket(
      `${second.url.replace(/^http/, 'ws')}/api/v1/rack-proxy/apps/myapp/logs`,
      { authorization: cliAuth(token), Since: '1h', Prefix: 'true' },
    );
    open.push(socket);
    await socket.waitForText('[pod/');
    return socket;
  }

  async function adminOnFirst(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${stack.gateway.url}/api/v1${path}`, {
      method,
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
  }

  async function expectEndedWithin(socket: LiveWebsocket, since: number, code: number, reason: string) {
    // Without the relay the stream would run on: give up after two seconds.
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('the stream was still open 2 s after the change')), 2000),
      ),
    ]);
    expect({ code: closed.code, reason: closed.reason }).toEqual({ code, reason });
    expect(closed.at - since).toBeLessThan(1000);
    expect(socket.text()).toContain(`ERROR: ${reason}\n`);
  }

  it('revoking a token through one process ends its logs stream on the other', async () => {
    const { token, tokenId } = await subject(['ops']);
    const socket = await logsOnSecond(token);
    const since = Date.now();
    await adminOnFirst('DELETE', `/api-tokens/${tokenId}`);
    await expectEndedWithin(socket, since, 4401, 'token revoked');
  });

  it('locking a user through one process ends their stream on the other, and leaves others streaming', async () => {
    const locked = await subject(['viewer']);
    const bystander = await subject(['viewer']);
    const socket = await logsOnSecond(locked.token);
    const other = await logsOnSecond(bystander.token);
    const since = Date.now();
    await adminOnFirst('POST', `/users/${locked.user.email}/lock`, { reason: 'left the team' });
    await expectEndedWithin(socket, since, 4401, 'user locked');
    expect(other.ws.readyState).toBe(other.ws.OPEN);
  });
});
