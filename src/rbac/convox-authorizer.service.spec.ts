import type { Principal } from '../access-control/principal';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';
import { CONVOX_ROUTES } from './convox-routes';
import { expandPatterns } from './permission-match';
import { ROLE_NAMES, rolePermissions, type RoleName } from './roles';
import { sampleRequests } from './testing/sample-route-path';
import { tokenOf, userWithRoles } from './testing/test-principals';

const authorizer = new ConvoxAuthorizerService(new AbilityFactory());

// cicd is token-only, so it is exercised as an admin-owned token carrying the cicd preset.
const principalFor = (role: RoleName): Principal =>
  role === 'cicd' ? tokenOf(['admin'], rolePermissions('cicd')) : userWithRoles([role]);

const samples = CONVOX_ROUTES.flatMap((route) => sampleRequests(route).map((sample) => ({ route, sample })));

describe('ConvoxAuthorizerService — the role × route matrix', () => {
  const cases = ROLE_NAMES.flatMap((role) =>
    samples.map(
      ({ route, sample }) =>
        [role, sample.isWebsocket ? 'SOCKET' : sample.method, sample.path, route, sample] as const,
    ),
  );

  it.each(cases)('%s: %s %s', (role, _method, _path, route, sample) => {
    const held = new Set<string>(expandPatterns(rolePermissions(role)));
    const decision = authorizer.authorize(
      principalFor(role),
      sample.method,
      `${sample.path}?`,
      {},
      sample.isWebsocket,
    );
    if (route.permission === null || held.has(route.permission)) {
      expect(decision).toMatchObject({
        allowed: true,
        route,
        params: sample.params,
        path: sample.path,
        query: '',
      });
    } else {
      expect(decision).toEqual({
        allowed: false,
        code: 'missing-permission',
        error: `permission denied: ${route.permission}`,
        permission: route.permission,
      });
    }
  });

  // A diff here is a change in who may call what; a reviewer must see it (and docs/RBAC.md shows the rows).
  it('lets each role call this many of the table’s requests', () => {
    const allowedCounts = Object.fromEntries(
      ROLE_NAMES.map((role) => [
        role,
        samples.filter(
          ({ sample }) =>
            authorizer.authorize(principalFor(role), sample.method, sample.path, {}, sample.isWebsocket)
              .allowed,
        ).length,
      ]),
    );
    expect({ total: samples.length, ...allowedCounts }).toEqual({
      total: 118,
      viewer: 32,
      ops: 48,
      deployer: 60,
      cicd: 19,
      admin: 118,
    });
  });

  it.each([
    ['deployer', 'POST', '/apps', false],
    ['deployer', 'PUT', '/apps/web', true],
    ['deployer', 'DELETE', '/apps/web', false],
    ['deployer', 'POST', '/apps/web/restart', true],
    ['deployer', 'POST', '/apps/web/releases/R1/promote', true],
    ['deployer', 'POST', '/apps/web/releases', true],
    ['deployer', 'PUT', '/system', false],
    ['admin', 'POST', '/apps', true],
    ['admin', 'DELETE', '/apps/web', true],
    ['admin', 'PUT', '/system', true],
    ['ops', 'GET', '/apps/web/releases', true],
    ['viewer', 'POST', '/apps', false],
    ['viewer', 'DELETE', '/apps/web/processes/p1', false],
    ['cicd', 'GET', '/apps/web/builds', false],
  ] as const)('keeps the original’s decision: %s %s %s → %s', (role, method, path, allowed) => {
    expect(authorizer.authorize(principalFor(role), method, path, {}, false).allowed).toBe(allowed);
  });
});

describe('ConvoxAuthorizerService — behaviour', () => {
  const viewer = userWithRoles(['viewer']);
  const admin = userWithRoles(['admin']);

  // Our one departure from the original's ops role: "view environments" must work with `convox env`.
  it('lets ops read a release in detail, as `convox env` does', () => {
    expect(
      authorizer.authorize(userWithRoles(['ops']), 'GET', '/apps/web/releases/R1', {}, false).allowed,
    ).toBe(true);
  });

  it('names the missing permission when it denies', () => {
    expect(authorizer.authorize(userWithRoles(['ops']), 'POST', '/apps/web/releases?', {}, false)).toEqual({
      allowed: false,
      code: 'missing-permission',
      error: 'permission denied: convox:release:create',
      permission: 'convox:release:create',
    });
  });

  it.each([
    ['GET', '/foo'],
    ['GET', '/kubernetes/api/v1/secrets'],
    ['POST', '/apps/web/environment'],
    ['PATCH', '/apps/web'],
  ])('denies the unknown route %s %s to everyone, admin included', (method, path) => {
    for (const principal of [viewer, admin]) {
      expect(authorizer.authorize(principal, method, `${path}?`, {}, false)).toEqual({
        allowed: false,
        code: 'unknown-route',
        error: `route not allowed: ${method} ${path}`,
      });
    }
  });

  it('tells a websocket upgrade from a plain GET to the same path', () => {
    expect(authorizer.authorize(viewer, 'GET', '/apps/web/logs', {}, true)).toMatchObject({
      allowed: true,
      method: 'SOCKET',
      permission: 'convox:log:read',
    });
    expect(authorizer.authorize(viewer, 'GET', '/apps/web/logs', {}, false)).toMatchObject({
      allowed: false,
      code: 'unknown-route',
      error: 'route not allowed: GET /apps/web/logs',
    });
  });

  it('lets any principal, even a token with no permissions, send the CLI probes', () => {
    const empty = tokenOf(['viewer'], []);
    for (const path of ['/racks?', '/machines?']) {
      expect(authorizer.authorize(empty, 'GET', path, {}, false)).toMatchObject({
        allowed: true,
        permission: null,
        route: { kind: 'probe' },
      });
    }
  });

  it('judges a token by its own list, bounded by its owner', () => {
    const narrow = tokenOf(['admin'], ['convox:app:list']);
    expect(authorizer.authorize(narrow, 'GET', '/apps', {}, false).allowed).toBe(true);
    expect(authorizer.authorize(narrow, 'GET', '/apps/web', {}, false).allowed).toBe(false);
    const inflated = tokenOf(['viewer'], ['convox:*:*']);
    expect(authorizer.authorize(inflated, 'DELETE', '/apps/web', {}, false)).toMatchObject({
      allowed: false,
      error: 'permission denied: convox:app:delete',
    });
  });

  it('returns the exact path and the untouched query to forward', () => {
    expect(
      authorizer.authorize(viewer, 'GET', '/apps/web/processes?service=web&release=R%201', {}, false),
    ).toMatchObject({
      allowed: true,
      path: '/apps/web/processes',
      query: 'service=web&release=R%201',
      params: { app: 'web' },
    });
  });

  it('refuses bad paths and methods with 400 and a reason', () => {
    expect(authorizer.authorize(admin, 'GET', '/apps/../system', {}, false)).toEqual({
      allowed: false,
      code: 'invalid-request',
      error: 'invalid path: dot segment',
    });
    expect(authorizer.authorize(admin, 'TRACE', '/apps', {}, false)).toEqual({
      allowed: false,
      code: 'invalid-request',
      error: 'invalid request: method not allowed: TRACE',
    });
  });
});
