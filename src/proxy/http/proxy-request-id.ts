import type { IncomingMessage } from 'node:http';
import { requestIdFor } from '../../audit/request-id';

/** The id pino-http gave the request (echoed as `X-Request-Id`), or one derived the same way. */
export function proxyRequestId(req: IncomingMessage & { id?: unknown }): string {
  return typeof req.id === 'string' ? req.id : requestIdFor(req);
}
