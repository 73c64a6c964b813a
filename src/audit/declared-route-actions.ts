import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { REQUIRED_PERMISSION } from '../auth/require-permission.decorator';
import { AUDIT_ACTION } from './audit-action.decorator';

/** What Express leaves on a request once its router matched a route (kept after the handler answered). */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * The action each controller route declares (`@AuditAction`, else `@RequirePermission`), by method and
 * route path. A call a guard refused never reaches the admin interceptor that notes its route, yet Express
 * has matched it: the refusal is recorded under the route's own action rather than one guessed from the
 * URL (`/api/v1/apps/:app/settings/…` is a settings call, not an `apps` one).
 */
@Injectable()
export class DeclaredRouteActions implements OnApplicationBootstrap {
  private readonly actions = new Map<string, string>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getControllers()) {
      if (!wrapper.instance || !wrapper.metatype) continue;
      const base = pathsOf(Reflect.getMetadata(PATH_METADATA, wrapper.metatype));
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as () => unknown;
        const own = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (own === undefined) continue;
        const targets = [handler, wrapper.metatype];
        const action =
          this.reflector.getAllAndOverride<string>(AUDIT_ACTION, targets) ??
          this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets);
        if (!action) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const prefix of base) {
          for (const path of pathsOf(own)) this.actions.set(`${method} ${joinPath(prefix, path)}`, action);
        }
      }
    }
  }

  /** The declared action of the route Express matched for `req`, if it matched one that declares it. */
  of(req: IncomingMessage): string | undefined {
    const path = (req as RoutedRequest).route?.path;
    if (typeof path !== 'string') return undefined;
    return this.actions.get(`${req.method} ${joinPath(path)}`) ?? this.actions.get(`ALL ${joinPath(path)}`);
  }
}

function pathsOf(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata.map(String);
  return [typeof metadata === 'string' ? metadata : ''];
}

/** `api/v1/settings` + `:key` → `/api/v1/settings/:key`, the form Nest registers with Express. */
function joinPath(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}
