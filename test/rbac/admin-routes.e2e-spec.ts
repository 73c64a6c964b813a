import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { discoverAdminRoutes } from '../../src/rbac/admin-routes';
import { CONVOX_ROUTES } from '../../src/rbac/convox-routes';
import { ALL_PERMISSIONS } from '../../src/rbac/permission-catalog';
import { CODE_CHECKED_PERMISSIONS } from '../../src/rbac/code-checked-permissions';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

describe('gateway admin routes and the permission catalog', () => {
  let gateway: TestGateway;
  let routes: ReturnType<typeof discoverAdminRoutes>;

  beforeAll(async () => {
    gateway = await startTestGateway();
    routes = discoverAdminRoutes(
      gateway.app.get(DiscoveryService),
      gateway.app.get(MetadataScanner),
      gateway.app.get(Reflector),
    );
  });
  afterAll(() => gateway?.close());

  // A new route, or a route whose permission changes, changes this snapshot: the reviewer sees it.
  it('lists every admin route with the permission it declares', () => {
    expect(routes.map((r) => `${r.method.padEnd(6)} ${r.path} → ${r.access}`)).toMatchSnapshot();
  });

  it('has no route without a declaration', () => {
    expect(routes.filter((r) => r.access === 'undeclared')).toEqual([]);
  });

  it('reaches every catalog permission from a rack route, an admin route or a declared check in code', () => {
    const reachable = new Set<string>([
      ...CONVOX_ROUTES.map((route) => route.permission).filter((p) => p !== null),
      ...routes.map((route) => route.access),
      ...Object.keys(CODE_CHECKED_PERMISSIONS),
    ]);
    expect(ALL_PERMISSIONS.filter((permission) => !reachable.has(permission))).toEqual([]);
  });

  it('declares in-code checks only for permissions that are in the catalog', () => {
    const known = new Set<string>(ALL_PERMISSIONS);
    expect(Object.keys(CODE_CHECKED_PERMISSIONS).filter((p) => !known.has(p))).toEqual([]);
  });
});
