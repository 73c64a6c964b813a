import { DataSource } from 'typeorm';
import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';
import { adminSession, call, tokenOf } from './roles-fixture';

/**
 * Custom roles and app-scoped bindings through the real gateway, PostgreSQL and a mock rack: validation,
 * who may change roles, scope enforcement on rack routes (with the reason), tokens bounded by scope,
 * and role changes in force on the next request.
 */
describe('custom roles and app-scoped bindings', () => {
  let stack: ProxyStack;
  let admin: string;
  /** Users and roles change only through a session: they are `always` MFA actions, closed to tokens. */
  let session: string;
  let viewer: string;

  const rack = async (token: string, path: string) => {
    const res = await fetch(`${stack.proxyUrl}${path}?`, { headers: { Authorization: cliAuth(token) } });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    stack = await startProxyStack();
    admin = await tokenOf(stack.gateway, 'admin@example.com');
    session = await adminSession(stack.gateway);
    viewer = await tokenOf(stack.gateway, 'viewer@example.com');
  });
  afterAll(() => stack?.close());

  it('lists the built-in roles as read-only', async () => {
    const res = await call(stack.gateway, viewer, 'GET', '/roles');
    expect(res.status).toBe(403);
    const listed = await call(stack.gateway, admin, 'GET', '/roles');
    expect(listed.status).toBe(200);
    expect(listed.body.map((r: { name: string }) => r.name)).toEqual([
      'viewer',
      'ops',
      'deployer',
      'cicd',
      'admin',
    ]);
    expect(listed.body[0]).toMatchObject({ builtIn: true, humanAssignable: true });
    expect(listed.body[0].grants).toContain('convox:app:list');
  });

  it('refuses bad roles with a 400 naming the problem, and viewers with a 403', async () => {
    const post = (body: unknown, token = session) => call(stack.gateway, token, 'POST', '/roles', body);
    const unknown = await post({ name: 'x1', permissions: ['convox:app:list', 'convox:app:fly'] });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unknown_permission' } });
    expect(unknown.body.message).toContain('convox:app:fly');
    const empty = await post({ name: 'x1', permissions: ['convox:nothing:*'] });
    expect(empty).toMatchObject({ status: 400, body: { error: 'pattern_matches_nothing' } });
    expect(empty.body.message).toContain('convox:nothing:*');
    expect(await post({ name: 'deployer', permissions: ['convox:app:list'] })).toMatchObject({
      status: 400,
      body: { error: 'built_in_role' },
    });
    expect((await post({ name: 'Bad Name', permissions: ['convox:app:list'] })).status).toBe(400);
    expect((await post({ name: 'x1', permissions: [] })).status).toBe(400);
    expect((await post({ name: 'x1', permissions: ['convox:app:list'] }, viewer)).status).toBe(403);
    expect((await call(stack.gateway, session, 'PATCH', '/roles/viewer', { permissions: [] })).status).toBe(
      400,
    );
    expect((await call(stack.gateway, session, 'DELETE', '/roles/admin')).status).toBe(400);
    expect((await call(stack.gateway, admin, 'GET', '/roles/nope')).status).toBe(404);
  });

  it('creates a custom role from catalog patterns, binds it, and applies changes on the next request', async () => {
    const created = await call(stack.gateway, session, 'POST', '/roles', {
      name: 'release-reader',
      description: 'Reads releases',
      permissions: ['convox:release:list', 'convox:app:*'],
    });
    expect(created.status).toBe(201);
    expect(created.body.grants).toEqual(expect.arrayContaining(['convox:release:list', 'convox:app:delete']));
    const user = await call(stack.gateway, session, 'POST', '/users', {
      email: 'reader@example.com',
      roles: ['release-reader'],
    });
    expect(user.status).toBe(201);
    const token = await tokenOf(stack.gateway, 'reader@example.com', ['convox:release:list']);
    expect((await rack(token, '/apps/web-1/releases')).status).not.toBe(403);

    const changed = await call(stack.gateway, session, 'PATCH', '/roles/release-reader', {
      permissions: ['convox:app:list'],
    });
    expect(changed.status).toBe(200);
    const refused = await rack(token, '/apps/web-1/releases');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('permission denied: convox:release:list');

    const inUse = await call(stack.gateway, session, 'DELETE', '/roles/release-reader');
    expect(inUse).toMatchObject({ status: 409, body: { error: 'role_in_use' } });
    expect(inUse.body.message).toContain('reader@example.com');
    await call(stack.gateway, session, 'PATCH', '/users/reader@example.com', { roles: ['viewer'] });
    expect((await call(stack.gateway, session, 'DELETE', '/roles/release-reader')).status).toBe(204);

    const events = (await stack.gateway.app
      .get(DataSource)
      .query(`SELECT action FROM audit_events WHERE action LIKE 'gateway:role:%' ORDER BY chain_index`)) as {
      action: string;
    }[];
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['gateway:role:create', 'gateway:role:update', 'gateway:role:delete']),
    );
  });

  describe('a deployer bound to web-* only', () => {
    let scoped: string;

    beforeAll(async () => {
      const res = await call(stack.gateway, session, 'POST', '/users', {
        email: 'scoped@example.com',
        bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }],
      });
      expect(res.status).toBe(201);
      expect(res.body.bindings).toEqual([{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }]);
      expect(res.body.roles).toEqual(['deployer', 'viewer']);
      scoped = await tokenOf(stack.gateway, 'scoped@example.com');
    });

    it('is allowed on web-1 and refused on api, with the scope in the reason', async () => {
      expect((await rack(scoped, '/apps/web-1/releases')).status).not.toBe(403);
      const refused = await rack(scoped, '/apps/api/releases');
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toEqual({
        error: 'permission denied: convox:release:list on app api (held only as deployer on web-*)',
      });
      // Unscoped viewer still holds app:read everywhere.
      expect((await rack(scoped, '/apps/api')).status).not.toBe(403);
    });

    it('needs an unscoped binding on routes that are about no app', async () => {
      await call(stack.gateway, session, 'PATCH', '/users/scoped@example.com', {
        bindings: [{ role: 'deployer', apps: ['web-*'] }],
      });
      const refused = await rack(scoped, '/apps');
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('this route is about no app');
      expect((await rack(scoped, '/apps/web-2/releases')).status).not.toBe(403);
      await call(stack.gateway, session, 'PATCH', '/users/scoped@example.com', {
        bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }],
      });
    });

    it('bounds tokens by the owner scope: a token cannot reach api even when it names the permission', async () => {
      const narrow = await tokenOf(stack.gateway, 'scoped@example.com', ['convox:release:list']);
      expect((await rack(narrow, '/apps/web-1/releases')).status).not.toBe(403);
      expect((await rack(narrow, '/apps/api/releases')).status).toBe(403);
      const other = await tokenOf(stack.gateway, 'scoped@example.com', ['convox:app:list']);
      expect((await rack(other, '/apps/web-1/releases')).status).toBe(403);
    });

    it('reads and sets env on an app in scope (checks made in code honour the scope too)', async () => {
      await call(stack.gateway, session, 'POST', '/users', {
        email: 'env-scoped@example.com',
        bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['my*'] }],
      });
      const token = await tokenOf(stack.gateway, 'env-scoped@example.com');
      const headers = { authorization: cliAuth(token) };
      const [first] = (await (
        await fetch(`${stack.proxyUrl}/apps/myapp/releases?limit=1`, { headers })
      ).json()) as {
        id: string;
      }[];
      const release = (await (
        await fetch(`${stack.proxyUrl}/apps/myapp/releases/${first.id}?`, { headers })
      ).json()) as {
        env: string;
      };
      expect(release.env).toContain('NODE_ENV=production');
      const posted = await fetch(`${stack.proxyUrl}/apps/myapp/releases?`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ env: `${release.env.trim()}\nFEATURE_SCOPED=on` }).toString(),
      });
      expect(posted.status).toBe(200);
    });

    it('is found by the users list filter on the role it holds on some apps', async () => {
      const res = await call(stack.gateway, admin, 'GET', '/users?role=deployer');
      expect(res.body.map((u: { email: string }) => u.email)).toEqual(
        expect.arrayContaining(['deployer@example.com', 'scoped@example.com']),
      );
    });

    it('refuses bad bindings with a 400', async () => {
      const patch = (bindings: unknown) =>
        call(stack.gateway, session, 'PATCH', '/users/scoped@example.com', { bindings });
      expect(await patch([{ role: 'deployer', apps: [] }])).toMatchObject({
        status: 400,
        body: { error: 'invalid_binding' },
      });
      expect(await patch([{ role: 'deployer', apps: ['Web_1!'] }])).toMatchObject({ status: 400 });
      expect(await patch([{ role: 'admin', apps: ['web-*'] }])).toMatchObject({ status: 400 });
      expect(await patch([{ role: 'cicd' }])).toMatchObject({ status: 400, body: { error: 'invalid_role' } });
      expect(await patch([{ role: 'nosuch' }])).toMatchObject({
        status: 400,
        body: { error: 'invalid_role' },
      });
      const both = await call(stack.gateway, session, 'PATCH', '/users/scoped@example.com', {
        roles: ['viewer'],
        bindings: [{ role: 'viewer' }],
      });
      expect(both.status).toBe(400);
    });
  });
});
