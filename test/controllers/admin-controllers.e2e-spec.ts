import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SessionsService } from '../../src/sessions/sessions.service';
import { discoverAdminRoutes, type AdminRoute } from '../../src/rbac/admin-routes';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { startAdminControllersApp, type AdminControllersApp } from './admin-controllers-app';

interface Answer {
  status: number;
  body: { error?: string; message?: string };
  text: string;
}

function jsonOf(text: string): Answer['body'] {
  try {
    return JSON.parse(text) as Answer['body'];
  } catch {
    return {};
  }
}

/**
 * The admin controllers behind the real guard chain, route by route, with every route discovered from the
 * module (a new route is covered with no new test code): nobody gets past a non-public route without a
 * credential (401), a credential without a route's permission is refused naming it (403), and a caller
 * holding it reaches the handler (whatever the handler then says about the made-up parameters).
 */
describe('admin controllers behind the real guards', () => {
  let api: AdminControllersApp;
  let routes: AdminRoute[];
  let viewerToken: string;
  let adminSession: string;
  let tokenWith: (permissions: string[]) => Promise<string>;

  beforeAll(async () => {
    api = await startAdminControllersApp();
    // The rack proxy's one catch-all route has its own table-driven matrix (test/proxy/rbac-matrix).
    routes = discoverAdminRoutes(
      api.app.get(DiscoveryService),
      api.app.get(MetadataScanner),
      api.app.get(Reflector),
    ).filter((route) => !route.path.startsWith('/api/v1/rack-proxy'));
    const users = api.app.get(UsersService);
    const tokens = api.app.get(ApiTokensService);
    const admin = await users.getByEmail('admin@example.com');
    const viewer = await users.getByEmail('viewer@example.com');
    const grantor = { email: admin.email, permissions: permissionsForRoles(admin.roles) };
    viewerToken = (await tokens.create(viewer, { name: 'viewer', role: 'viewer' }, grantor)).token;
    tokenWith = async (permissions) =>
      (await tokens.create(admin, { name: `only-${permissions.join('-')}`, permissions }, grantor)).token;
    // A person who has not enrolled MFA passes the MFA step, so a session reaches `always` actions too.
    adminSession = (await api.app.get(SessionsService).create(admin.id, 'cli', {})).token;
  });
  afterAll(() => api?.close());

  async function call(
    route: Pick<AdminRoute, 'method' | 'path'>,
    bearer?: string,
    body?: unknown,
  ): Promise<Answer> {
    // Made-up parameters: the guards decide before anything reads them.
    const path = route.path.replace(/:[A-Za-z]+/g, 'no-such-thing');
    const response = await fetch(`${api.url}${path}`, {
      method: route.method,
      redirect: 'manual',
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      body: route.method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: jsonOf(text), text };
  }

  const described = (r: AdminRoute) => `${r.method} ${r.path}`;

  it('discovers the admin routes of the module, and every one declares its access', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => r.access === 'undeclared').map(described)).toEqual([]);
  });

  it('refuses an anonymous caller on every route that is not public, with 401', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const { status, body } = await call(route);
      if (status !== 401 || body.error !== 'authentication_required')
        answers.push(`${described(route)} → ${status} ${body.error}`);
    }
    expect(answers).toEqual([]);
  });

  it('refuses a credential without the route’s permission, with 403 naming it', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((r) => r.access.startsWith('gateway:'))) {
      const { status, body } = await call(route, viewerToken);
      if (status !== 403 || body.message !== `permission denied: ${route.access}`)
        answers.push(`${described(route)} → ${status} ${body.message}`);
    }
    expect(answers).toEqual([]);
  });

  it('lets a caller holding the permission through to the handler', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((r) => r.access.startsWith('gateway:'))) {
      const { status, body } = await call(route, adminSession);
      if (status === 401 || status === 403 || status >= 500)
        answers.push(`${described(route)} → ${status} ${body.message}`);
    }
    expect(answers).toEqual([]);
  });

  it('lets anyone reach a public route', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((r) => r.access === 'public' && r.method === 'GET')) {
      const { status } = await call(route);
      if (status === 401 || status === 403) answers.push(`${described(route)} → ${status}`);
    }
    expect(answers).toEqual([]);
  });

  it('answers a token holding exactly gateway:user:read, and refuses it the write next door', async () => {
    const reader = await tokenWith(['gateway:user:read']);
    const list = await call({ method: 'GET', path: '/api/v1/users' }, reader);
    expect(list.status).toBe(200);
    expect(list.text).toContain('admin@example.com');
    const create = await call({ method: 'POST', path: '/api/v1/users' }, reader, {
      email: 'new@example.com',
      roles: ['viewer'],
    });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({
      error: 'forbidden',
      message: 'permission denied: gateway:user:create',
    });
    expect((await call({ method: 'GET', path: '/api/v1/users/new@example.com' }, adminSession)).status).toBe(
      404,
    );
  });
});
