import WebSocket from 'ws';
import { cliAuth } from '../proxy/proxy-stack';
import {
  cliWebsocket,
  loginAs,
  sameOrigin,
  startFullStack,
  type BrowserLogin,
  type FullStack,
} from '../audit/full-stack-fixture';

/** One listener: the messages it got and how it ended. */
interface Listening {
  socket: WebSocket;
  messages: { type: string; topics?: string[] }[];
  closed: Promise<{ code: number; reason: string }>;
  ready: Promise<void>;
}

/**
 * The console's live-updates websocket against the real gateway: admitted like a console request (session
 * cookie, Origin, CSRF token, MFA), hints filtered by what each listener may read, closed when access ends,
 * and sharing the HTTP server's upgrades with the rack proxy's websockets.
 */
describe('live updates websocket', () => {
  let stack: FullStack;
  let admin: BrowserLogin;
  let viewer: BrowserLogin;

  beforeAll(async () => {
    stack = await startFullStack();
    [admin, viewer] = await Promise.all([
      loginAs(stack, 'admin@example.com'),
      loginAs(stack, 'viewer@example.com'),
    ]);
  }, 60_000);
  afterAll(() => stack?.close());

  const host = () => new URL(stack.url).host;
  const wsUrl = (query = '') => `${stack.url.replace('http', 'ws')}/api/v1/live-updates${query}`;

  const listen = (login: BrowserLogin | undefined, options: { origin?: string; csrf?: string } = {}) => {
    const session = login?.browser.cookie(host(), 'rgw_session');
    const csrf = options.csrf ?? login?.browser.cookie(host(), 'rgw_csrf') ?? '';
    const socket = new WebSocket(wsUrl(`?csrf=${encodeURIComponent(csrf)}`), {
      headers: {
        origin: options.origin ?? stack.url,
        ...(session ? { cookie: `rgw_session=${session}` } : {}),
      },
    });
    const messages: Listening['messages'] = [];
    let readyResolve: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (readyResolve = resolve));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; topics?: string[] };
      messages.push(message);
      if (message.type === 'ready') readyResolve();
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    return { socket, messages, closed, ready };
  };

  const waitFor = async (what: () => boolean, ms = 8000) => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const topicsOf = (listening: Listening) => listening.messages.flatMap((m) => m.topics ?? []);

  it('tells an admin that users changed, and a viewer nothing about it', async () => {
    const adminListening = listen(admin);
    const viewerListening = listen(viewer);
    await Promise.all([adminListening.ready, viewerListening.ready]);
    const created = await admin.browser.request(`${stack.url}/api/v1/users`, {
      method: 'POST',
      headers: sameOrigin(stack, admin),
      body: JSON.stringify({ email: 'live@example.com', roles: ['viewer'] }),
    });
    expect(created.status).toBe(201);
    await waitFor(() => topicsOf(adminListening).includes('users'));
    expect(topicsOf(adminListening)).toContain('audit');
    // The admin heard within the same feed tick the viewer would have.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(topicsOf(viewerListening)).toEqual([]);
    // Hints carry topics only, never the change itself.
    expect(JSON.stringify(adminListening.messages)).not.toContain('live@example.com');

    // The viewer's own change is theirs to hear about.
    const token = await viewer.browser.request(`${stack.url}/api/v1/api-tokens`, {
      method: 'POST',
      headers: sameOrigin(stack, viewer),
      body: JSON.stringify({ name: 'viewer-live', role: 'viewer' }),
    });
    expect(token.status).toBe(201);
    await waitFor(() => topicsOf(viewerListening).includes('tokens'));
    expect(topicsOf(viewerListening)).not.toContain('audit');
    adminListening.socket.close();
    viewerListening.socket.close();
  });

  it.each([
    ['no session cookie', () => listen(undefined), 4401, 'authentication_required'],
    ['another Origin', () => listen(admin, { origin: 'http://evil.example' }), 4403, 'origin_mismatch'],
    ['a wrong CSRF token', () => listen(admin, { csrf: 'guess' }), 4403, 'csrf_failed'],
  ])('refuses a listener with %s', async (_what, open, code, reason) => {
    const listening = open();
    await expect(listening.closed).resolves.toEqual({ code, reason });
    expect(listening.messages).toEqual([]);
  });

  it('refuses an API token: hints are for console sessions', async () => {
    const socket = new WebSocket(wsUrl(), {
      headers: { origin: stack.url, authorization: `Bearer ${stack.proxy.tokens.admin}` },
    });
    const closed = await new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    expect(closed).toBe(4403);
  });

  it('closes a listener whose session is revoked', async () => {
    const login = await loginAs(stack, 'ops@example.com');
    const listening = listen(login);
    await listening.ready;
    const me = JSON.parse((await login.browser.get(`${stack.url}/api/v1/me`)).body) as { sessionId: string };
    const revoked = await admin.browser.request(`${stack.url}/api/v1/sessions/${me.sessionId}`, {
      method: 'DELETE',
      headers: sameOrigin(stack, admin),
    });
    expect(revoked.status).toBe(200);
    await expect(listening.closed).resolves.toEqual({ code: 4401, reason: 'session_revoked' });
  });

  it('shares upgrades with the rack proxy: its websockets still work, and an unknown path is a 404', async () => {
    const end = await cliWebsocket(
      `${stack.url.replace('http', 'ws')}/api/v1/rack-proxy/apps/myapp/processes/web/exec`,
      { authorization: cliAuth(stack.proxy.tokens.ops), Command: 'exit 3', Tty: 'false' },
    );
    expect(end.status).toBe(101);
    expect(end.text).toContain(':3');
    const unknown = await cliWebsocket(`${stack.url.replace('http', 'ws')}/api/v1/nowhere`, {
      origin: stack.url,
    });
    expect(unknown.status).toBe(404);
  });
});
