import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditRequestContext, attachAuditContext, newAuditContext } from './audit-request-context';
import { AuditRequestFinisher } from './audit-request-finisher';

const ERROR_BODY_LIMIT = 512;

/**
 * First thing on every request: opens the audit context, counts bytes both ways without touching the
 * streams' flow, and hands the request to AuditRequestFinisher when the response is over.
 */
@Injectable()
export class AuditContextMiddleware implements NestMiddleware {
  constructor(private readonly finisher: AuditRequestFinisher) {}

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const ctx = newAuditContext(req, res);
    countRequestBytes(req, ctx);
    countResponseBytes(res, ctx);
    res.once('close', () => void this.finisher.finish(ctx, res));
    attachAuditContext(ctx, next);
  }
}

/**
 * The HTTP parser hands each body chunk to `push`; observing it there counts what arrived without adding a
 * 'data' listener, which would switch the stream to flowing mode and drain a body the proxy has yet to pipe.
 */
function countRequestBytes(req: IncomingMessage, ctx: AuditRequestContext): void {
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk) ctx.bytesIn += Buffer.isBuffer(chunk) ? chunk.length : Buffer.byteLength(String(chunk));
    return push(chunk, encoding);
  };
}

/** Counts body bytes written (headers excluded) and keeps the start of error bodies the gateway writes. */
function countResponseBytes(res: ServerResponse, ctx: AuditRequestContext): void {
  const observe = (chunk: unknown, encoding?: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    ctx.bytesOut += buffer.length;
    if (res.statusCode >= 400 && ctx.errorBody.length < ERROR_BODY_LIMIT) {
      ctx.errorBody += buffer.subarray(0, ERROR_BODY_LIMIT - ctx.errorBody.length).toString('utf8');
    }
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    observe(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    observe(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
}
