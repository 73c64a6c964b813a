import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { RefusalCode } from '../access-control/access-decision';
import type { Principal } from '../access-control/principal';
import { AbilityFactory } from './ability.factory';
import type { ConvoxRoute } from './convox-routes';
import { methodProblem } from './method-safety';
import { parseProxyTarget, PathRejectedError } from './path-safety';
import type { Permission } from './permission-catalog';
import { matchConvoxRoute } from './route-matcher';

/** What the proxy needs once a request is allowed: the route, its parameters and the exact target to forward. */
export interface AuthorizedConvoxRoute {
  route: ConvoxRoute;
  params: Record<string, string>;
  /** The path that was matched, which is exactly the path to forward. */
  path: string;
  /** The raw query (without `?`), forwarded untouched. */
  query: string;
  /** The permission checked; null for the CLI's probes. */
  permission: Permission | null;
  /** The method matched: `SOCKET` for websocket upgrades. */
  method: string;
}

export type ConvoxAuthorization =
  | ({ allowed: true } & AuthorizedConvoxRoute)
  | {
      allowed: false;
      code: Extract<RefusalCode, 'invalid-request' | 'unknown-route' | 'missing-permission'>;
      error: string;
      permission?: Permission;
    };

/**
 * The single decision point for the rack proxy, used by the HTTP guard and by the websocket upgrade path, so
 * both refuse the same requests with the same words. Order: method, path safety, route allow-list, ability.
 * Error texts are what the convox CLI prints after `ERROR:`.
 */
@Injectable()
export class ConvoxAuthorizerService {
  constructor(private readonly abilities: AbilityFactory) {}

  authorize(
    principal: Principal,
    method: string,
    rawPathAfterPrefix: string,
    headers: IncomingHttpHeaders,
    isWebsocket: boolean,
  ): ConvoxAuthorization {
    const located = this.locate(method, rawPathAfterPrefix, headers, isWebsocket);
    if (!located.allowed) return located;
    const { permission } = located.route;
    if (permission !== null) {
      // App-scoped bindings count only on routes about an app; the route's `:app` parameter names it.
      const decision = this.abilities.decideOnApp(principal, permission, located.params.app);
      if (!decision.allowed) {
        const scope = decision.scopedBindings.length
          ? located.params.app === undefined
            ? ` (held only on some apps: ${decision.scopedBindings.join('; ')}; this route is about no app)`
            : ` on app ${located.params.app} (held only as ${decision.scopedBindings.join('; ')})`
          : '';
        return {
          allowed: false,
          code: 'missing-permission',
          error: `permission denied: ${permission}${scope}`,
          permission,
        };
      }
    }
    // Only probes have no permission: any authenticated principal may send them (the proxy answers 404).
    return located;
  }

  /**
   * Everything but the principal's ability: method, path safety and the route allow-list. The websocket
   * upgrade path asks this before authenticating, to know whether a refusal may be told in-band.
   */
  locate(
    method: string,
    rawPathAfterPrefix: string,
    headers: IncomingHttpHeaders,
    isWebsocket: boolean,
  ): ConvoxAuthorization {
    const badMethod = methodProblem(method, headers, isWebsocket);
    if (badMethod) return { allowed: false, code: 'invalid-request', error: `invalid request: ${badMethod}` };

    let target;
    try {
      target = parseProxyTarget(rawPathAfterPrefix);
    } catch (error) {
      if (error instanceof PathRejectedError)
        return { allowed: false, code: 'invalid-request', error: error.message };
      throw error;
    }

    const shownMethod = isWebsocket ? 'SOCKET' : method;
    const match = matchConvoxRoute(method, target.path, isWebsocket);
    if (!match)
      return {
        allowed: false,
        code: 'unknown-route',
        error: `route not allowed: ${shownMethod} ${target.path}`,
      };
    return { allowed: true, ...match, ...target, permission: match.route.permission, method: shownMethod };
  }
}
