import WebSocket from 'ws';
import { AccessChain } from '../../src/access-control/chain/access-chain';
import { ConsoleUpgradeAdmission } from '../../src/access-control/chain/console-upgrade.admission';
import { UPGRADE_ADMISSION } from '../../src/live-updates/path-scoped-ws.adapter';
import { SessionsService } from '../../src/sessions/sessions.service';
import { SettingsService } from '../../src/settings/settings.service';
import { UsersService } from '../../src/users/users.service';
import { cliAuth } from '../proxy/proxy-stack';
import {
  cliWebsocket,
  eventsOf,
  loginAs,
  onlyEventOf,
  sameOrigin,
  startFullStack,
  type BrowserLogin,
  type FullStack,
} from '../audit/full-stack-fixture';

/** An upgrade answered with an HTTP status instead of 101. */
interface Refusal {
  status: number;
  body: { error: string; message?: string; requestId?: string };
  headers: Record<string, string | string[] | undefined>;
}

/** One listener: the messages it got and how it ended (or the answer that refused it). */
interface Listening {
  socket: WebSocket;
  messages: { type: string; topics?: string[] }[];
  closed: Promise<{ code: number; reason: string }>;
  ready: Promise<void>;
  refused: Promise<Refusal>;
}

/**
 * The console's live-updates websocket against the real gateway: admitted by the access chain's admin
 * steps before the upgrade (session cookie, Origin, CSRF token, MFA; refusals answered and audited like
 * HTTP ones), hints filtered by what each listener may read, closed when access ends, and sharing the HTTP
 * server's upgrades with the rack proxy's websockets.
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

  const listen = (
    login: BrowserLogin | undefined,
    options: { origin?: string; csrf?: string; headers?: Record<string, string> } = {},
  ): Listening => {
    const session = login?.browser.cookie(host(), 'rgw_session');
    const csrf = options.csrf ?? login?.browser.cookie(host(), 'rgw_csrf') ?? '';
    const socket = new WebSocket(wsUrl(`?csrf=${encodeURIComponent(csrf)}`), {
      headers: {
        origin: options.origin ?? stack.url,
        ...(session ? { cookie: `rgw_session=${session}` } : {}),
        ...options.headers,
      },
    });
    const refused = new Promise<Refusal>((resolve) =>
      socket.on('unexpected-response', (request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), headers: response.headers });
          request.destroy();
        });
      }),
    );
    socket.on('error', () => undefined);
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
    return { socket, messages, closed, ready, refused };
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

  it('admits upgrades through the very chain object the HTTP guard runs', () => {
    const { app } = stack.proxy.gateway;
    const admission = app.get<symbol, ConsoleUpgradeAdmission>(UPGRADE_ADMISSION);
    expect(admission).toBeInstanceOf(ConsoleUpgradeAdmission);
    expect((admission as unknown as { chain: AccessChain }).chain).toBe(app.get(AccessChain));
  });

  /** The refusal's audit event: the request id the answer carried names it, like an HTTP refusal's. */
  const eventOfRefusal = async (refusal: Refusal) => {
    const requestId = String(refusal.headers['x-request-id']);
    expect(refusal.body.requestId).toBe(requestId);
    return onlyEventOf(stack, requestId);
  };

  it.each([
    ['another Origin', () => listen(admin, { origin: 'http://evil.example' }), 'origin_mismatch'],
    ['a wrong CSRF token', () => listen(admin, { csrf: 'guess' }), 'csrf_failed'],
  ])(
    'refuses a listener with %s: 403 before the upgrade, audited as a denial',
    async (_what, open, error) => {
      const listening = open();
      const refusal = await listening.refused;
      expect(refusal).toMatchObject({ status: 403, body: { error } });
      expect(listening.messages).toEqual([]);
      expect(await eventOfRefusal(refusal)).toMatchObject({
        action: 'live_updates:listen',
        decision: 'deny',
        rule: error,
        status: 403,
        // Refused before the caller counts as acting (a forged request is not put on them), as on HTTP.
        actor_email: '',
      });
    },
  );

  it('records a refused upgrade exactly like the HTTP request refused for the same reason', async () => {
    const http = await admin.browser.request(`${stack.url}/api/v1/api-tokens`, {
      method: 'POST',
      headers: { ...sameOrigin(stack, admin), origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'never', role: 'viewer' }),
    });
    expect(http.status).toBe(403);
    const httpBody = JSON.parse(http.body) as Refusal['body'];
    const refusal = await listen(admin, { origin: 'http://evil.example' }).refused;
    expect(refusal.status).toBe(http.status);
    expect({ ...refusal.body, requestId: undefined }).toEqual({ ...httpBody, requestId: undefined });
    const pick = ({ decision, rule, status, actor_email, actor_type, result }: Record<string, unknown>) => ({
      decision,
      rule,
      status,
      actor_email,
      actor_type,
      result,
    });
    const httpEvent = await onlyEventOf(stack, http.headers.get('x-request-id') ?? '');
    const upgradeEvent = await eventOfRefusal(refusal);
    expect(pick({ ...upgradeEvent })).toEqual(pick({ ...httpEvent }));
  });

  it('refuses a listener with no session cookie: 401 before the upgrade', async () => {
    const refusal = await listen(undefined).refused;
    expect(refusal).toMatchObject({ status: 401, body: { error: 'authentication_required' } });
    // The first refusal of its kind from an address in a minute has an event of its own (later ones are
    // counted into it, for HTTP and websockets alike).
    expect(await eventsOf(stack, String(refusal.headers['x-request-id']))).toEqual([
      expect.objectContaining({ decision: 'deny', rule: 'authentication_required', status: 401 }),
    ]);
  });

  it('refuses an expired session and a revoked one: 401 naming which, before the upgrade', async () => {
    const sessions = stack.proxy.gateway.app.get(SessionsService);
    const sessionIdOf = async (login: BrowserLogin) =>
      (JSON.parse((await login.browser.get(`${stack.url}/api/v1/me`)).body) as { sessionId: string })
        .sessionId;
    const expired = await loginAs(stack, 'viewer@example.com');
    await sessions.revoke(await sessionIdOf(expired), null, 'expired');
    const revoked = await loginAs(stack, 'viewer@example.com');
    await sessions.revoke(await sessionIdOf(revoked), 'admin@example.com', 'revoked by an admin');
    for (const [login, error] of [
      [expired, 'session_expired'],
      [revoked, 'session_revoked'],
    ] as const) {
      const refusal = await listen(login).refused;
      expect(refusal).toMatchObject({ status: 401, body: { error } });
      expect(await eventOfRefusal(refusal)).toMatchObject({ decision: 'deny', rule: error, status: 401 });
    }
  });

  it('refuses a locked user: 401 user_locked, before the upgrade', async () => {
    const login = await loginAs(stack, 'deployer@example.com');
    await stack.proxy.gateway.app
      .get(UsersService)
      .lock('deployer@example.com', 'live-updates test', 'admin@example.com');
    const refusal = await listen(login).refused;
    expect(refusal).toMatchObject({ status: 401, body: { error: 'user_locked' } });
    expect(await eventOfRefusal(refusal)).toMatchObject({
      decision: 'deny',
      rule: 'user_locked',
      status: 401,
    });
  });

  it('refuses a person who owes MFA, with the X-MFA-Required header, before the upgrade', async () => {
    const settings = stack.proxy.gateway.app.get(SettingsService);
    await settings.set('mfa.require_all_users', true, 'admin@example.com');
    try {
      const refusal = await listen(viewer).refused;
      expect(refusal).toMatchObject({ status: 403, body: { error: 'mfa_enrollment_required' } });
      expect(refusal.headers['x-mfa-required']).toBe('enrollment');
      expect(await eventOfRefusal(refusal)).toMatchObject({
        action: 'live_updates:listen',
        decision: 'deny',
        status: 403,
        actor_email: 'viewer@example.com',
      });
    } finally {
      await settings.set('mfa.require_all_users', false, 'admin@example.com');
    }
    // Owed no more: the same session listens again.
    const listening = listen(viewer);
    await listening.ready;
    listening.socket.close();
  });

  it('refuses an API token: hints are for console sessions', async () => {
    const refusal = await listen(undefined, {
      headers: { authorization: `Bearer ${stack.proxy.tokens.admin}` },
    }).refused;
    expect(refusal).toMatchObject({ status: 403, body: { error: 'session_required' } });
    expect(await eventOfRefusal(refusal)).toMatchObject({
      decision: 'deny',
      rule: 'session-required',
      status: 403,
    });
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
