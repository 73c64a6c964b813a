import { SetMetadata } from '@nestjs/common';

/** Where the rack API is mounted on the gateway (the convox CLI's RACK_URL path). */
export const RACK_PROXY_PREFIX = '/api/v1/rack-proxy';

/**
 * The raw target after the prefix (`/apps?`), or null when the URL is not under it. Segment-aware and
 * case-sensitive: `/api/v1/rack-proxyX` and `/API/v1/rack-proxy` (which Express would route
 * case-insensitively) are not ours, so they are refused rather than guessed at.
 */
export function stripRackProxyPrefix(originalUrl: string): string | null {
  if (!originalUrl.startsWith(RACK_PROXY_PREFIX)) return null;
  const rest = originalUrl.slice(RACK_PROXY_PREFIX.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?') ? rest : null;
}

/**
 * The one answer to "is this request for the rack proxy?" — for the access chain, body parsing, the error
 * shape, the audit and the metrics alike. Takes the raw URL (`originalUrl`, or `url` on an upgrade).
 */
export function isRackProxyPath(url: string): boolean {
  return stripRackProxyPrefix(url) !== null;
}

export const RACK_PROXY_ROUTE = 'rgw:rackProxyRoute';

/**
 * Marks the controller that serves the rack proxy. Its requests take the proxy chain even when the raw URL
 * is not under the exact prefix (an absolute-form target, a case-changed prefix that Express routes anyway):
 * the chain then refuses them as not a rack proxy path, rather than treating them as admin calls.
 */
export const RackProxyRoute = () => SetMetadata(RACK_PROXY_ROUTE, true);
