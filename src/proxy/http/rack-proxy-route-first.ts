import { RACK_PROXY_PREFIX } from '../../access-control/rack-proxy-path';

/** The part of an Express router layer this needs: a route layer has `route.path` as registered. */
export interface RouterLayer {
  route?: { path?: unknown };
}

const PROXY_SEGMENTS = RACK_PROXY_PREFIX.split('/').slice(1);

const isLiteral = (segment: string) => !/[:*{(]/.test(segment);

/** A route under the rack proxy's prefix (the proxy controller's own layers). */
function isProxyRoute(layer: RouterLayer): boolean {
  const path = layer.route?.path;
  return typeof path === 'string' && (path === RACK_PROXY_PREFIX || path.startsWith(`${RACK_PROXY_PREFIX}/`));
}

/**
 * Whether a layer can never match a rack-proxy URL: a route whose path differs from the prefix in a literal
 * segment before any parameter or wildcard (`/api/v1/users/:email`, `/healthz`). Middleware layers and
 * routes starting with a wildcard (Nest's `/{*path}` middleware routes) may match anything.
 */
function cannotMatchProxy(layer: RouterLayer): boolean {
  const path = layer.route?.path;
  if (typeof path !== 'string') return false;
  const segments = path.split('/').slice(1);
  for (let i = 0; i < PROXY_SEGMENTS.length && i < segments.length; i += 1) {
    if (!isLiteral(segments[i])) return false;
    if (segments[i] !== PROXY_SEGMENTS[i]) return true;
  }
  return false;
}

/**
 * Express tries layers in registration order and Nest registers the rack proxy's controller after every
 * admin controller, so each proxied call was matched against some fifty admin routes before its own. This
 * moves the proxy's route layers back past every layer that cannot match a rack-proxy URL (stopping at the
 * first that might, such as the middleware routes), which changes no request's route: the layers passed
 * never match a proxied call, and the proxy's layers match nothing else.
 */
export function routeRackProxyFirst(stack: RouterLayer[]): void {
  const first = stack.findIndex(isProxyRoute);
  if (first < 0) return;
  let target = first;
  while (target > 0 && cannotMatchProxy(stack[target - 1])) target -= 1;
  if (target === first) return;
  const proxyLayers: RouterLayer[] = [];
  for (let i = first; i < stack.length && isProxyRoute(stack[i]); i += 1) proxyLayers.push(stack[i]);
  stack.splice(first, proxyLayers.length);
  stack.splice(target, 0, ...proxyLayers);
}
