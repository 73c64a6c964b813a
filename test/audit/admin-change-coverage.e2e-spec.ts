import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AUDIT_ACTION, AUDIT_SKIP, AUDIT_SNAPSHOT } from '../../src/access-control/audit-action.decorator';
import { IS_PUBLIC } from '../../src/access-control/public.decorator';
import { REQUIRED_PERMISSION } from '../../src/access-control/require-permission.decorator';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';
import { adminChanges } from './admin-changes';

const MUTATING = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE];

interface AdminChangeRoute {
  route: string;
  action: string;
  snapshot: unknown;
}

/** Every state-changing controller route the admin audit interceptor records as a `gateway:` change. */
function adminChangeRoutes(gateway: TestGateway): AdminChangeRoute[] {
  const discovery = gateway.app.get(DiscoveryService);
  const scanner = gateway.app.get(MetadataScanner);
  const reflector = gateway.app.get(Reflector);
  const routes: AdminChangeRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    if (!wrapper.instance || !wrapper.metatype) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (!MUTATING.includes(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) continue;
      const targets = [handler, wrapper.metatype];
      if (reflector.getAllAndOverride(IS_PUBLIC, targets) || reflector.getAllAndOverride(AUDIT_SKIP, targets))
        continue;
      const action =
        reflector.getAllAndOverride<string>(AUDIT_ACTION, targets) ??
        reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets);
      if (!action?.startsWith('gateway:')) continue;
      routes.push({
        route: `${wrapper.name}.${name}`,
        action,
        snapshot: reflector.getAllAndOverride(AUDIT_SNAPSHOT, targets),
      });
    }
  }
  return routes;
}

/**
 * Keeps "every admin change records its before and after" true as the admin API grows: a new
 * state-changing admin route fails here until it names its @AuditChange snapshot and has a row in the
 * admin-changes table (which then checks the stored before and after end to end).
 */
describe('every admin change route records its before and after', () => {
  let gateway: TestGateway;
  let routes: AdminChangeRoute[];

  beforeAll(async () => {
    gateway = await startTestGateway();
    routes = adminChangeRoutes(gateway);
  });
  afterAll(() => gateway?.close());

  it('finds the admin change routes (users, tokens, sessions)', () => {
    expect(routes.map((r) => r.action)).toEqual(
      expect.arrayContaining(['gateway:user:create', 'gateway:token:revoke', 'gateway:session:revoke']),
    );
  });

  it('has a snapshot declared on each of them', () => {
    expect(routes.filter((r) => r.snapshot === undefined).map((r) => r.route)).toEqual([]);
  });

  it('has a row for each of their actions in the admin-changes table', () => {
    const tabled = new Set(adminChanges().map((c) => c.action));
    expect([...new Set(routes.map((r) => r.action))].filter((action) => !tabled.has(action))).toEqual([]);
  });
});
