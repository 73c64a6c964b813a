import type { IncomingHttpHeaders } from 'node:http';
import type { HttpMethod } from './convox-routes';

/** Methods a proxied request may use. Anything else (TRACE, CONNECT, PROPFIND, lower-case `get`) is refused. */
export const ALLOWED_METHODS: readonly HttpMethod[] = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
];

/**
 * Headers some frameworks honour to change the method after routing. We authorise the real method only,
 * so a request carrying one of these is refused rather than risk the rack (or something before it) acting
 * on a method we did not check.
 */
export const METHOD_OVERRIDE_HEADERS = [
  'x-http-method-override',
  'x-method-override',
  'x-http-method',
] as const;

/** Why the method cannot be accepted, or null when it can. */
export function methodProblem(
  method: string,
  headers: IncomingHttpHeaders,
  isWebsocket: boolean,
): string | null {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) return `method not allowed: ${method}`;
  if (isWebsocket && method !== 'GET') return 'websocket upgrades must use GET';
  const override = METHOD_OVERRIDE_HEADERS.find((name) => headers[name] !== undefined);
  return override ? `method override header not allowed: ${override}` : null;
}

/** Websocket upgrade as the rack and the original gateway define it: `Connection: upgrade` + `Upgrade: websocket`. */
export function isWebsocketUpgrade(headers: IncomingHttpHeaders): boolean {
  const connection = headers.connection ?? '';
  const upgrade = headers.upgrade ?? '';
  return /(^|,)\s*upgrade\s*(,|$)/i.test(connection) && upgrade.trim().toLowerCase() === 'websocket';
}
