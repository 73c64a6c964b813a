import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers an upgrade request with a plain HTTP response on the raw socket and closes it. The convox CLI
 * prints `websocket: bad handshake`; the JSON body says why for anyone looking closer.
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
