import { defaultRedactor } from '../audit/redaction';

/**
 * The request headers the stdout request log shows (the request id and the client address are logged
 * as `id` and `clientIp`, taken from the headers only as far as they can be trusted). An allow-list, not a deny-list: the convox CLI sends
 * its options as headers (`Command` and `Environment` of `convox run`, `Private-Key` of `instances ssh`)
 * and clients add credentials under names nobody can list in advance (`X-Api-Key`, `X-Amz-Security-Token`
 * …), so any header not named here stays out of the log. These carry framing and routing, never secrets.
 */
export const LOGGED_REQUEST_HEADERS: readonly string[] = [
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'sec-websocket-version',
];

/**
 * The response headers the request log shows. `Set-Cookie` (sessions), `Location` (login redirects carry
 * OAuth state) and whatever the rack answers with stay out.
 */
export const LOGGED_RESPONSE_HEADERS: readonly string[] = [
  'content-type',
  'content-length',
  'transfer-encoding',
  'x-request-id',
  'retry-after',
];

type HeaderBag = Record<string, unknown>;

/**
 * Only the allowed headers of `headers` (names already lower-case, as Node gives them), with secret shapes
 * cut out of their values too: a client may still put a token in `User-Agent`.
 */
export function pickLoggedHeaders(headers: HeaderBag | undefined, allowed: readonly string[]): HeaderBag {
  const out: HeaderBag = {};
  if (!headers) return out;
  for (const name of allowed) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value)
      ? value.map((item) => defaultRedactor.text(String(item)))
      : typeof value === 'number'
        ? value
        : defaultRedactor.text(String(value));
  }
  return out;
}
