import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { RefusalCode } from '../../access-control/access-decision';
import { closeCodeForStatus } from './close-codes';
import { closeWithError } from './frame-bridge';

/**
 * Refusals told in-band on a websocket route (101, `ERROR: <message>` text frame, close), the way a rack
 * reports its own websocket errors, so the convox CLI prints why: the caller's credential (401, or a cookie
 * without its CSRF token), their permission (403) and the failed-credential limit (429, whose message ends
 * `; try again in N s`, the only place such a client can learn the delay). Everything else about a request
 * that must not be upgraded (wrong Host, unsafe path, not a websocket route, MFA owed, which carries its
 * X-MFA-Required header) and failures on our side stay plain HTTP.
 */
const IN_BAND: ReadonlySet<RefusalCode> = new Set<RefusalCode>([
  'unauthenticated',
  'csrf',
  'missing-permission',
  'rate-limited',
]);

export function isToldInBand(code: RefusalCode): boolean {
  return IN_BAND.has(code);
}

/**
 * Answers an upgrade request with a plain HTTP response on the raw socket and closes it. The convox CLI
 * prints only `websocket: bad handshake`; the JSON body says why for anyone looking closer. Used for
 * requests that must not be upgraded at all (wrong Host, unsafe path, not a websocket route).
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: Buffer | { error: string },
  headers: OutgoingHttpHeaders = {},
): void {
  if (socket.destroyed) return;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`];
  const all: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    ...headers,
    'content-length': String(payload.length),
    connection: 'close',
  };
  for (const [name, value] of Object.entries(all)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value])
      lines.push(`${name}: ${String(one).replace(/[\r\n]/g, ' ')}`);
  }
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
}

/**
 * Refuses the way a rack reports websocket errors: complete the upgrade (101), send the text frame
 * `ERROR: <message>\n` (the convox CLI prints it), then close with 4000 + `status` and the message as the
 * reason. False when the request is not a handshake that can be completed; the caller then refuses with
 * plain HTTP instead.
 */
export function refuseInBand(
  server: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  status: number,
  message: string,
  graceMs: number,
): boolean {
  if (socket.destroyed || !isCompleteHandshake(req)) return false;
  server.handleUpgrade(req, socket, head, (client) => {
    client.on('error', () => client.terminate());
    closeWithError(client, closeCodeForStatus(status), message, graceMs);
  });
  return true;
}

/** What `ws` checks before it will answer 101; anything else it would refuse with its own bare 400. */
function isCompleteHandshake(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  const version = Number(req.headers['sec-websocket-version']);
  return (
    req.method === 'GET' &&
    String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof key === 'string' &&
    /^[+/0-9A-Za-z]{22}==$/.test(key) &&
    (version === 8 || version === 13)
  );
}
