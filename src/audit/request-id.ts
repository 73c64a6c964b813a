import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// A client-chosen id is kept only when it is short and plain, so it cannot smuggle log-injection text.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: an acceptable incoming `X-Request-Id`, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && ACCEPTABLE_REQUEST_ID.test(value) ? value : randomUUID();
}
