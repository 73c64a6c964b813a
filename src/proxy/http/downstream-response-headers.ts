import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { hopByHopNames } from './hop-by-hop';

/**
 * The rack's response headers as the client gets them: end-to-end headers untouched (Content-Length kept
 * for streamed downloads), hop-by-hop ones dropped, and no cookies: the rack has no business setting
 * cookies on the gateway's domain.
 */
export function downstreamResponseHeaders(
  upstream: IncomingHttpHeaders,
  { dropContentLength = false }: { dropContentLength?: boolean } = {},
): OutgoingHttpHeaders {
  const dropped = hopByHopNames(upstream);
  dropped.add('set-cookie');
  if (dropContentLength) dropped.add('content-length');
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value !== undefined && !dropped.has(name)) headers[name] = value;
  }
  return headers;
}
