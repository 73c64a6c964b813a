import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Principal } from '../../access-control/principal';
import { hopByHopNames } from './hop-by-hop';

/**
 * Client headers that would let a caller speak for someone else or reach the rack with its own
 * credentials: identity and forwarding headers are set by us from what we verified, never copied.
 */
const REPLACED_OR_SPOOFABLE = new Set([
  'host',
  'authorization',
  'cookie',
  'expect',
  'convox-actor',
  'x-convox-actor',
  'x-user-email',
  'x-user-name',
  'x-request-id',
  'x-real-ip',
  'forwarded',
  'x-audit-resource',
  'x-release-created',
  'x-original-path',
  // The gateway's own second factor and CSRF proof: spent here, meaningless to the rack, never sent on.
  'x-mfa-code',
  'x-mfa-proof',
  'x-csrf-token',
]);

export interface UpstreamIdentity {
  /** `Basic base64(<RACK_USERNAME>:<RACK_TOKEN>)`. */
  authorization: string;
  principal: Principal;
  /** The client address as derived from the socket and the trusted proxy hops. */
  clientIp: string | undefined;
  requestId: string;
}

/**
 * What the rack receives: every end-to-end client header (convox `run` options travel as headers on a
 * POST, logs/exec options on the upgrade), minus hop-by-hop, cookies, the gateway's own MFA and CSRF headers
 * and spoofable identity headers, plus
 * the rack's credentials, `Convox-Actor` (lands in the rack's own audit events), `X-Forwarded-For` and
 * `X-Request-Id`.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  identity: UpstreamIdentity,
  extraDropped: ReadonlySet<string> = new Set(),
): OutgoingHttpHeaders {
  const dropped = hopByHopNames(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || dropped.has(name) || extraDropped.has(name)) continue;
    if (REPLACED_OR_SPOOFABLE.has(name) || name.startsWith('x-forwarded-')) continue;
    headers[name] = value;
  }
  headers.authorization = identity.authorization;
  headers['convox-actor'] = convoxActor(identity.principal);
  if (identity.clientIp) headers['x-forwarded-for'] = identity.clientIp;
  headers['x-request-id'] = identity.requestId;
  return headers;
}

/** The rack sanitizes actors itself; we keep the value a plain printable header value. */
export function convoxActor(principal: Principal): string {
  const actor =
    principal.kind === 'token'
      ? `token:${principal.tokenName ?? principal.tokenId ?? 'unnamed'}`
      : principal.email;
  return actor.replace(/[^\x20-\x7e]/g, '?');
}
