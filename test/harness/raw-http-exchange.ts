import { connect } from 'node:net';

/** What came back on the connection: the first response's status and body, and every byte as text. */
export interface RawHttpAnswer {
  /** Status of the first response; null when the server closed the connection without answering. */
  status: number | null;
  /** Body of the first response (up to the connection's end: requests are sent with `Connection: close`). */
  body: string;
  /** Everything the server sent, to count responses when a second (smuggled) one could follow. */
  raw: string;
}

/** One header line per entry, written exactly as given (no validation, no case changes). */
export type RawHeaders = [name: string, value: string][];

export interface RawHttpRequest {
  method: string;
  /** The request target exactly as it goes on the wire: origin-form, absolute-form, anything. */
  target: string;
  /** Default `HTTP/1.1`. */
  version?: string;
  headers: RawHeaders;
  body?: string;
}

/**
 * Sends a hand-written HTTP request over a plain TCP socket, so no client library validates, upper-cases
 * or normalises the method, target or headers (node's own `http.request` upper-cases methods and refuses
 * control characters in paths). Characters up to U+00FF go out as single bytes (the latin-1 view node's
 * server decodes back), anything beyond as UTF-8 — what an attacker's client would send.
 */
export function sendRawHttp(port: number, request: RawHttpRequest, timeoutMs = 5000): Promise<RawHttpAnswer> {
  const head =
    `${request.method} ${request.target} ${request.version ?? 'HTTP/1.1'}\r\n` +
    request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    '\r\n';
  const text = head + (request.body ?? '');
  const bytes = Buffer.from(text, /[^\u0000-\u00ff]/.test(text) ? 'utf8' : 'latin1');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of response within ${timeoutMs} ms for ${request.method} ${request.target}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseFirstResponse(Buffer.concat(chunks).toString('latin1')));
    });
    socket.write(bytes);
  });
}

function parseFirstResponse(raw: string): RawHttpAnswer {
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  if (!statusLine) return { status: null, body: '', raw };
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, headEnd);
  let body = headEnd < 0 ? '' : raw.slice(headEnd + 4);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) body = body.slice(0, Number(length[1]));
  else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
  return { status: Number(statusLine[1]), body: Buffer.from(body, 'latin1').toString('utf8'), raw };
}

function dechunk(chunked: string): string {
  let out = '';
  let rest = chunked;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (lineEnd < 0 || !Number.isFinite(size) || size === 0) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
