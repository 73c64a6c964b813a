import { cliAuth, startProxyStack, type ProxyStack } from '../proxy/proxy-stack';
import { adminSession, call, tokenOf } from './roles-fixture';

/** The auditor's questions and the role preview, answered by the real gateway from PostgreSQL. */
describe('who can, effective access, access review and preview', () => {
  let stack: ProxyStack;
  let admin: string;
  /** Users and roles change only through a session: they are `always` MFA actions, closed to tokens. */
  let session: string;
  let viewer: string;
  let scopedToken: string;

  beforeAll(async () => {
    stack = await startProxyStack();
    admin = await tokenOf(stack.gateway, 'admin@example.com');
    session = await adminSession(stack.gateway);
    viewer = await tokenOf(stack.gateway, 'viewer@example.com');
    const created = await call(stack.gateway, session, 'POST', '/users', {
      email: 'scoped@example.com',
      name: 'Scoped Dev',
      bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }],
    });
    expect(created.status).toBe(201);
    scopedToken = await tokenOf(stack.gateway, 'scoped@example.com', [
      'convox:release:list',
      'convox:env:set',
    ]);
    // One use of release:list on web-1, for "last used".
    const res = await fetch(`${stack.proxyUrl}/apps/web-1/releases?`, {
      headers: { Authorization: cliAuth(scopedToken) },
    });
    expect(res.status).not.toBe(403);
  });
  afterAll(() => stack?.close());

  it('answers who can set env on an app, with the binding that grants it', async () => {
    const web = await call(
      stack.gateway,
      admin,
      'GET',
      '/access/who-can?permission=convox:env:set&app=web-1',
    );
    expect(web.status).toBe(200);
    const emails = web.body.users.map((u: { email: string }) => u.email);
    expect(emails).toEqual(['admin@example.com', 'deployer@example.com', 'scoped@example.com']);
    expect(web.body.users[2].sources).toEqual([{ role: 'deployer', apps: ['web-*'] }]);
    expect(web.body.users[0].sources).toEqual([{ role: 'admin' }]);
    expect(web.body.tokens).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          owner: 'scoped@example.com',
          sources: [{ role: 'deployer', apps: ['web-*'] }],
        }),
      ]),
    );

    const api = await call(stack.gateway, admin, 'GET', '/access/who-can?permission=convox:env:set&app=api');
    expect(api.body.users.map((u: { email: string }) => u.email)).not.toContain('scoped@example.com');
    expect(api.body.tokens.map((t: { owner: string }) => t.owner)).not.toContain('scoped@example.com');
  });

  it('refuses unknown permissions and bad apps with a 400, and viewers with a 403', async () => {
    const unknown = await call(stack.gateway, admin, 'GET', '/access/who-can?permission=convox:env:fly');
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unknown_permission' } });
    const badApp = await call(
      stack.gateway,
      admin,
      'GET',
      '/access/who-can?permission=convox:env:set&app=web-*',
    );
    expect(badApp).toMatchObject({ status: 400, body: { error: 'invalid_app' } });
    expect((await call(stack.gateway, admin, 'GET', '/access/who-can')).status).toBe(400);
    expect(
      (await call(stack.gateway, viewer, 'GET', '/access/who-can?permission=convox:env:set')).status,
    ).toBe(403);
    expect((await call(stack.gateway, viewer, 'GET', '/reports/access-review')).status).toBe(403);
    expect((await call(stack.gateway, admin, 'GET', '/access/users/nobody@example.com')).status).toBe(404);
  });

  it("lists a user's effective permissions with their source and last use", async () => {
    const res = await call(stack.gateway, admin, 'GET', '/access/users/scoped@example.com');
    expect(res.status).toBe(200);
    const byName = new Map(res.body.permissions.map((p: { permission: string }) => [p.permission, p]));
    expect(byName.get('convox:release:list')).toMatchObject({
      sources: [{ role: 'deployer', apps: ['web-*'] }],
      lastUsedAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(byName.get('convox:app:read')).toMatchObject({
      sources: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }],
      lastUsedAt: null,
    });
  });

  it('produces the access review as CSV and as JSON', async () => {
    const csv = await fetch(`${stack.gateway.url}/api/v1/reports/access-review?format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'kind,email,name,tokenId,tokenName,bindings,locked,mfa,lastLoginAt,lastUsedAt,permissions,unusedPermissions',
    );
    const scopedLine = lines.find((line) => line.startsWith('user,scoped@example.com,'));
    expect(scopedLine).toContain('viewer; deployer on web-*');
    expect(scopedLine).toContain(',not_enrolled,');
    expect(lines.filter((line) => line.startsWith('token,')).length).toBeGreaterThanOrEqual(3);

    const json = await call(stack.gateway, admin, 'GET', '/reports/access-review?format=json');
    expect(json.status).toBe(200);
    expect(json.body.unusedAfterDays).toBe(90);
    const scoped = json.body.rows.find(
      (r: { kind: string; email: string }) => r.kind === 'user' && r.email === 'scoped@example.com',
    );
    expect(scoped.permissions).toContain('convox:release:list');
    // Used within 90 days, so not listed as unused; app:read never used, so listed.
    expect(scoped.unusedPermissions).not.toContain('convox:release:list');
    expect(scoped.unusedPermissions).toContain('convox:app:read');
    const token = json.body.rows.find(
      (r: { kind: string; email: string; permissions: string[] }) =>
        r.kind === 'token' && r.email === 'scoped@example.com' && r.permissions.includes('convox:env:set'),
    );
    expect(token).toMatchObject({ mfa: 'not_applicable', unusedPermissions: ['convox:env:set'] });
    expect((await call(stack.gateway, admin, 'GET', '/reports/access-review?format=xml')).status).toBe(400);
  });

  it('previews a binding change: who loses what, where, and which routes', async () => {
    const res = await call(stack.gateway, admin, 'POST', '/roles/preview', {
      user: 'scoped@example.com',
      bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-1'] }],
    });
    expect(res.status).toBe(200);
    const user = res.body.principals.find((p: { kind: string }) => p.kind === 'user');
    expect(user.email).toBe('scoped@example.com');
    expect(user.gained).toEqual([]);
    expect(user.lost).toEqual(
      expect.arrayContaining([{ permission: 'convox:env:set', before: ['web-*'], after: ['web-1'] }]),
    );
    const token = res.body.principals.find((p: { kind: string }) => p.kind === 'token');
    expect(token.lost.map((c: { permission: string }) => c.permission).sort()).toEqual([
      'convox:env:set',
      'convox:release:list',
    ]);
    const releaseList = res.body.permissions.find(
      (p: { permission: string }) => p.permission === 'convox:release:list',
    );
    expect(releaseList.routes).toContain('rack GET /apps/:app/releases');
    // Nothing was saved.
    const after = await call(stack.gateway, admin, 'GET', '/users/scoped@example.com');
    expect(after.body.bindings).toEqual([{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }]);
  });

  it('previews a role definition change, listing gateway routes too', async () => {
    await call(stack.gateway, session, 'POST', '/roles', {
      name: 'helpdesk',
      permissions: ['gateway:user:read'],
    });
    await call(stack.gateway, session, 'PATCH', '/users/viewer@example.com', {
      roles: ['viewer', 'helpdesk'],
    });
    const res = await call(stack.gateway, admin, 'POST', '/roles/preview', {
      role: 'helpdesk',
      permissions: ['gateway:user:read', 'gateway:user:lock'],
    });
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual([
      {
        permission: 'gateway:user:lock',
        routes: ['gateway POST /api/v1/users/:email/lock', 'gateway POST /api/v1/users/:email/unlock'],
      },
    ]);
    expect(res.body.principals).toEqual(
      expect.arrayContaining([
        {
          kind: 'user',
          email: 'viewer@example.com',
          gained: [{ permission: 'gateway:user:lock', before: null, after: 'everywhere' }],
          lost: [],
        },
      ]),
    );
    const bad = await call(stack.gateway, admin, 'POST', '/roles/preview', {
      role: 'helpdesk',
      permissions: ['gateway:nope:*'],
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'pattern_matches_nothing' } });
    const neither = await call(stack.gateway, admin, 'POST', '/roles/preview', {});
    expect(neither).toMatchObject({ status: 400, body: { error: 'invalid_preview' } });
    expect(
      (
        await call(stack.gateway, viewer, 'POST', '/roles/preview', {
          role: 'helpdesk',
          permissions: ['gateway:user:read'],
        })
      ).status,
    ).toBe(403);
  });
});
