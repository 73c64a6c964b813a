import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';
import { readBoundedBody } from '../http/bounded-body';
import type { RackEndpoint } from '../rack/rack-endpoint';
import { RackTimeoutError } from '../rack/rack-failure';

export type RackDialResult =
  | { kind: 'open'; socket: WebSocket }
  /** The rack answered the handshake with plain HTTP (401, 403, 404 …): relayed to the client as is. */
  | { kind: 'refused'; status: number; headers: IncomingMessage['headers']; body: Buffer };

const REFUSAL_BODY_LIMIT = 64 * 1024;

/**
 * Opens the rack side of a websocket before the client is upgraded, so a rack refusal can still be
 * answered as HTTP. Same framing settings as the client side: no compression, no UTF-8 validation.
 * Rejects with the connection error (or RackTimeoutError when the handshake takes longer than
 * RACK_TIMEOUT_MS).
 */
export function dialRackWebsocket(
  endpoint: RackEndpoint,
  path: string,
  headers: OutgoingHttpHeaders,
  protocols: string[],
  maxPayload: number,
): Promise<RackDialResult> {
  const scheme = endpoint.protocol === 'https:' ? 'wss' : 'ws';
  const host = endpoint.hostname.includes(':') ? `[${endpoint.hostname}]` : endpoint.hostname;
  const url = `${scheme}://${host}:${endpoint.port}${path}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, {
      headers: headers as Record<string, string>,
      perMessageDeflate: false,
      skipUTF8Validation: true,
      followRedirects: false,
      handshakeTimeout: endpoint.timeoutMs,
      maxPayload,
      ...endpoint.tls,
    });
    socket.once('open', () => {
      // Hold frames that arrive before the client side is upgraded and listening.
      socket.pause();
      resolve({ kind: 'open', socket });
    });
    socket.once('unexpected-response', (request, response: IncomingMessage) => {
      readBoundedBody(response, REFUSAL_BODY_LIMIT)
        .catch(() => Buffer.alloc(0))
        .then((body) => {
          request.destroy();
          resolve({ kind: 'refused', status: response.statusCode ?? 502, headers: response.headers, body });
        });
    });
    socket.on('error', (error: Error) => {
      reject(
        /handshake has timed out/i.test(error.message) ? new RackTimeoutError(endpoint.timeoutMs) : error,
      );
    });
  });
}

/** The subprotocols the client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}
