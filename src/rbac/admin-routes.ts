import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_AUTHENTICATED } from '../access-control/authenticated.decorator';
import { IS_PUBLIC } from '../access-control/public.decorator';
import { REQUIRED_PERMISSION } from '../access-control/require-permission.decorator';

/** One route of the gateway's own API and what it declares: a permission, any principal, or nobody. */
export interface AdminRoute {
  method: string;
  path: string;
  /** A catalog permission, `authenticated` (any principal; the service may check more) or `public`. */
  access: string;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .map((part) => (Array.isArray(part) ? part[0] : part) ?? '')
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}

/**
 * Every controller route of the running Nest app with its access declaration, read from the same
 * metadata the access chain's route-permission step reads (so the list cannot differ from what is enforced). Sorted by path.
 */
export function discoverAdminRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): AdminRoute[] {
  const routes: AdminRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    if (!wrapper.instance || !wrapper.metatype) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    const base = Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | string[] | undefined;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as () => unknown;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const targets = [handler, wrapper.metatype];
      const access = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : (reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets) ??
          (reflector.getAllAndOverride<boolean>(IS_AUTHENTICATED, targets) ? 'authenticated' : 'undeclared'));
      routes.push({ method, path: joinPath(base, path), access });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** The admin routes, discovered once from the running app. */
@Injectable()
export class AdminRouteCatalog {
  private routes?: AdminRoute[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  all(): AdminRoute[] {
    this.routes ??= discoverAdminRoutes(this.discovery, this.scanner, this.reflector);
    return this.routes;
  }

  /** Routes needing exactly `permission`. */
  needing(permission: string): AdminRoute[] {
    return this.all().filter((route) => route.access === permission);
  }
}
