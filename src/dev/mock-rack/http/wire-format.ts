import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * Go's json.MarshalIndent output: two-space indent, a trailing newline, and `<`, `>`, `&`, U+2028/9
 * escaped (they can only occur inside strings, so a plain replace is safe).
 */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return `${text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = encodeJson(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Mutations on the rack answer with the two bytes `ok` and a newline; Go sniffs them as plain text. */
export function sendOk(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 3 });
  res.end('ok\n');
}

/** Unknown paths are 404 and known paths with the wrong method 405, both with an empty body. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/**
 * stdapi's error rendering: JSON only when the caller's Accept lists application/json; the CLI sends
 * `*\/*` and so gets Go's http.Error text form.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  if (acceptsJson(req)) {
    sendJson(res, { error: message }, status);
    return;
  }
  const body = `${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function acceptsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '')
    .split(',')
    .some((part) => part.split(';')[0].trim().toLowerCase() === 'application/json');
}

/** Headers every matched route gets from the rack's middleware, before authentication. */
export function applyRouteHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Request-Id', randomBytes(6).toString('hex'));
}
