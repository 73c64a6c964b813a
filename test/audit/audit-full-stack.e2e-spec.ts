import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { cliAuth, RACK_PASSWORD } from '../proxy/proxy-stack';
import {
  abortedDownload,
  cliWebsocket,
  eventsOf,
  loginAs,
  onlyEventOf,
  sameOrigin,
  startFullStack,
  type BrowserLogin,
  type FullStack,
} from './full-stack-fixture';
import { adminChanges } from './admin-changes';
import { eventually } from './audit-test-app';

const MiB = 1024 * 1024;
const EXIT_MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D';

/**
 * Issue 5's promise across the real stack (gateway, auth, RBAC, proxy, mock rack, mock Google login):
 * every call, login and admin change leaves exactly one audit event, found by the request id the gateway
 * echoed, and the chain verifies with nothing left open.
 */
describe('audit trail across the real stack: exactly one event per call', () => {
  let stack: FullStack;
  let admin: BrowserLogin;
  const proxied = (path: string) => `${stack.proxy.proxyUrl}${path}`;
  const ws = (path: string) => proxied(path).replace(/^http/, 'ws');

  beforeAll(async () => {
    stack = await startFullStack();
    admin = await loginAs(stack, 'admin@example.com');
  });
  let restartedRack: MockRack | undefined;
  afterAll(async () => {
    await restartedRack?.close();
    await stack?.close();
  });

  describe('proxied calls', () => {
    it('records an allowed read once, with its outcome', async () => {
      const res = await fetch(proxied('/apps'), {
        headers: { authorization: cliAuth(stack.proxy.tokens.viewer) },
      });
      expect(res.status).toBe(200);
      const event = await onlyEventOf(stack, res.headers.get('x-request-id') ?? '');
      expect(event).toMatchObject({
        action: 'convox:app:list',
        decision: 'allow',
        status: 200,
        result: 'success',
        actor_email: 'viewer@example.com',
        actor_type: 'token',
      });
    });

    it.each([
      ['a write the role lacks', 'POST', '/apps/myapp/restart', 'convox:app:restart', 'missing-permission'],
      ['an unknown route', 'GET', '/not/a/convox/route', 'convox:unknown:route', 'unknown-route'],
    ])('records %s once, denied with 403 and the rule', async (_name, method, path, action, rule) => {
      const res = await fetch(proxied(path), {
        method,
        headers: { authorization: cliAuth(stack.proxy.tokens.viewer) },
      });
      expect(res.status).toBe(403);
      const event = await onlyEventOf(stack, res.headers.get('x-request-id') ?? '');
      expect(event).toMatchObject({ action, decision: 'deny', rule, status: 403, result: 'denied' });
      expect(event.actor_email).toBe('viewer@example.com');
    });

    it('records a download the client abandons once, as aborted', async () => {
      const auth = { authorization: cliAuth(stack.proxy.tokens.deployer) };
      const upload = await fetch(proxied('/apps/myapp/objects/tmp/abandoned.bin?'), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(32 * MiB, 0x61),
      });
      expect(upload.status).toBe(200);
      const requestId = await abortedDownload(proxied('/apps/myapp/objects/tmp/abandoned.bin?'), auth);
      const event = await onlyEventOf(stack, requestId);
      expect(event).toMatchObject({
        action: 'convox:object:read',
        decision: 'allow',
        result: 'aborted',
        actor_email: 'deployer@example.com',
      });
      expect(JSON.parse(event.outcome_details ?? '{}')).toMatchObject({ aborted: true });
    });

    it('records a logs session once, completed at close with status 101', async () => {
      const end = await cliWebsocket(ws('/apps/myapp/logs'), {
        authorization: cliAuth(stack.proxy.tokens.viewer),
        Follow: 'false',
        Tail: '3',
      });
      expect(end.status).toBe(101);
      const event = await onlyEventOf(stack, end.requestId);
      expect(event).toMatchObject({
        action: 'convox:log:read',
        decision: 'allow',
        status: 101,
        result: 'success',
        actor_email: 'viewer@example.com',
      });
    });

    it('records an exec session once, with the command and its exit code', async () => {
      const end = await cliWebsocket(ws('/apps/myapp/processes/web/exec'), {
        authorization: cliAuth(stack.proxy.tokens.ops),
        Command: 'exit 3',
        Tty: 'false',
      });
      expect(end.text).toContain(`${EXIT_MARKER}:3`);
      const event = await onlyEventOf(stack, end.requestId);
      expect(event).toMatchObject({
        action: 'convox:process:exec',
        status: 101,
        actor_email: 'ops@example.com',
      });
      expect(JSON.parse(event.details)).toMatchObject({ command: 'exit 3', websocket: true });
      expect(JSON.parse(event.outcome_details ?? '{}')).toMatchObject({ exitCode: 3 });
    });

    it.each([
      [
        'a bad token',
        { authorization: 'Bearer rgw_not-a-real-token' },
        '/apps/myapp/logs',
        401,
        'auth:token_rejected',
      ],
      ['no credential', {}, '/apps/myapp/logs', 401, 'convox:log:read'],
      ['a role without exec', 'viewer-token', '/apps/myapp/processes/web/exec', 403, 'convox:process:exec'],
    ])(
      'records a websocket refused (in-band) for %s once, completed with the refusal status',
      async (_name, credential, path, status, action) => {
        const headers =
          credential === 'viewer-token'
            ? { authorization: cliAuth(stack.proxy.tokens.viewer) }
            : (credential as Record<string, string>);
        const end = await cliWebsocket(ws(path), { ...headers, Command: 'sh' });
        // Refused like a rack reports errors: upgraded, `ERROR: …`, then closed with 4000 + the status.
        expect(end).toMatchObject({ status: 101, closeCode: 4000 + status });
        expect(end.text).toMatch(/^ERROR: /);
        const event = await onlyEventOf(stack, end.requestId);
        expect(event).toMatchObject({ action, decision: 'deny', status, result: 'denied' });
      },
    );
  });

  describe('logins', () => {
    it('records a successful login once', async () => {
      const login = await loginAs(stack, 'deployer@example.com');
      expect(login.callbackStatus).toBe(302);
      const event = await onlyEventOf(stack, login.requestId);
      expect(event).toMatchObject({
        action: 'auth:login',
        decision: 'allow',
        status: 302,
        actor_email: 'deployer@example.com',
      });
    });

    it('records a refused login (unknown user) once, with the reason', async () => {
      const login = await loginAs(stack, 'newcomer@example.com');
      expect(login.callbackStatus).toBe(403);
      const event = await onlyEventOf(stack, login.requestId);
      expect(event).toMatchObject({
        action: 'auth:login_failed',
        decision: 'deny',
        rule: 'unknown_user',
        status: 403,
        actor_email: 'newcomer@example.com',
      });
    });
  });

  describe('admin changes', () => {
    const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const page = await admin.browser.request(`${stack.url}/api/v1${path}`, {
        method,
        headers: sameOrigin(stack, admin),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (page.status < 200 || page.status > 299) {
        throw new Error(`setup ${method} ${path} answered ${page.status}: ${page.body.slice(0, 200)}`);
      }
      return page.body ? JSON.parse(page.body) : undefined;
    };
    const setup = {
      call,
      loginSession: async (email: string) => {
        await loginAs(stack, email);
        const sessions = (await call('GET', `/sessions?email=${email}`)) as {
          id: string;
          createdAt: string;
        }[];
        return sessions.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0].id;
      },
    };

    it.each(adminChanges())(
      'records "$name" once, by the admin, with the route\'s action and the state before and after',
      async (change) => {
        const page = await admin.browser.request(`${stack.url}/api/v1${await change.path(setup)}`, {
          method: change.method,
          headers: sameOrigin(stack, admin),
          body: change.body === undefined ? undefined : JSON.stringify(change.body),
        });
        expect({ status: page.status, body: page.body.slice(0, 200) }).toMatchObject({
          status: change.status,
        });
        const event = await onlyEventOf(stack, page.headers.get('x-request-id') ?? '');
        expect(event).toMatchObject({
          action: change.action,
          decision: 'allow',
          status: change.status,
          result: 'success',
          actor_email: 'admin@example.com',
        });
        if (change.resource) {
          expect([event.resource_type, event.resource_name]).toEqual(change.resource);
        }
        const outcome = JSON.parse(event.outcome_details ?? '{}') as Record<string, unknown>;
        if (change.outcome) expect(outcome).toMatchObject(change.outcome);
        const { before } = JSON.parse(event.details) as { before?: unknown };
        if (change.before === null) expect(before).toBeNull();
        else expect(before).toMatchObject(change.before);
        if (change.after === null) expect(outcome.after).toBeNull();
        else expect(outcome.after).toMatchObject(change.after);
      },
    );

    it('records a logout once as auth:logout', async () => {
      const viewer = await loginAs(stack, 'viewer@example.com');
      const page = await viewer.browser.request(`${stack.url}/api/v1/auth/logout`, {
        method: 'POST',
        headers: sameOrigin(stack, viewer),
      });
      expect(page.status).toBe(200);
      const event = await onlyEventOf(stack, page.headers.get('x-request-id') ?? '');
      expect(event).toMatchObject({ action: 'auth:logout', status: 200, actor_email: 'viewer@example.com' });
    });
  });

  it('records a call the rack cannot answer once, as a 502 error', async () => {
    const port = stack.rack.port;
    await stack.rack.close();
    try {
      const res = await fetch(proxied('/apps'), {
        headers: { authorization: cliAuth(stack.proxy.tokens.viewer) },
      });
      expect(res.status).toBe(502);
      const event = await onlyEventOf(stack, res.headers.get('x-request-id') ?? '');
      expect(event).toMatchObject({ action: 'convox:app:list', status: 502, result: 'error' });
    } finally {
      // Back on the same port, so the tests after this one still have a rack.
      restartedRack = await startMockRack({ port, password: RACK_PASSWORD, promoteDelayMs: 50 });
    }
  });

  it('verifies the whole chain with no event left open', async () => {
    // Events of its own (an allowed read, a refusal, a login), so it does not rely on the tests before it.
    for (const [path, token] of [
      ['/apps', stack.proxy.tokens.viewer],
      ['/apps/myapp/restart', stack.proxy.tokens.viewer],
    ]) {
      const res = await fetch(proxied(path), { method: 'GET', headers: { authorization: cliAuth(token) } });
      await res.arrayBuffer();
      await eventsOf(stack, res.headers.get('x-request-id') ?? '');
    }
    await loginAs(stack, 'ops@example.com');
    const { rows } = await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    // Outcomes are written just after each response (batched), so the login's last event may still be open
    // for a few milliseconds.
    const report = await eventually(async () => {
      const page = await admin.browser.request(`${stack.url}/api/v1/audit/verify`);
      expect(page.status).toBe(200);
      const verified = JSON.parse(page.body) as { ok: boolean; checked: number; open: { count: number } };
      expect(verified).toMatchObject({ ok: true, problem: null, open: { count: 0 } });
      return verified;
    }, 2000);
    // Every event written before the check (at least the three above), checked.
    expect(report.checked).toBeGreaterThanOrEqual(Math.max(rows[0].n, 3));
  });
});
