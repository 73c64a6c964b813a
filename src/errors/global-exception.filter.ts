import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { auditContextFor } from '../audit/audit-request-context';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import { isRackProxyPath } from '../access-control/rack-proxy-path';
import { AccessRefusal } from '../access-control/access-refusal';

/** Seconds a client is asked to wait while the database is unreachable (the pool reconnects by itself). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

interface ErrorBody {
  error: string;
  message?: string;
  requestId?: string;
}

/**
 * The one place errors become responses. Internals never leak: unknown errors are logged with the request
 * id and answered with a generic 500. Proxy routes answer in the `{"error":"…"}` shape the convox CLI prints;
 * when a streamed response has already started, nothing more can be written and the socket is closed.
 * A database that cannot be reached is an outage, not a bug: 503 with the reason, logged once per interval.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly outage: DatabaseOutageLog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    // Also when an HttpException (the audit interceptors' 503) wraps the connection failure as its cause.
    const databaseDown = isDatabaseUnavailable(exception);
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : databaseDown
          ? HttpStatus.SERVICE_UNAVAILABLE
          : HttpStatus.INTERNAL_SERVER_ERROR;
    if (databaseDown) this.outage.report('request refused', exception);
    else if (status >= 500) this.logger.error({ err: exception, requestId }, 'request failed');
    // A refusal is the gateway's decision; the audit finisher may be waiting for it on a dead connection.
    auditContextFor(req)?.markDecided();

    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Retry-After of a rate limit, X-MFA-Required of an MFA refusal: the refusal names its own headers.
    if (exception instanceof AccessRefusal) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    if (databaseDown) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    const body =
      databaseDown && !(exception instanceof HttpException) ? DATABASE_DOWN : bodyFor(exception, status);
    if (isRackProxyPath(req.originalUrl ?? '')) {
      res.status(status).json({ error: body.message && status !== 403 ? body.message : body.error });
      return;
    }
    res.status(status).json({ ...body, requestId: requestId || undefined });
  }
}

const DATABASE_DOWN: ErrorBody = { error: 'database_unavailable', message: 'database unavailable' };

function bodyFor(exception: unknown, status: number): ErrorBody {
  if (!(exception instanceof HttpException)) return { error: 'internal_error', message: 'internal error' };
  const response = exception.getResponse();
  if (typeof response === 'string') return { error: codeFor(status), message: response };
  const { error, message, statusCode } = response as {
    error?: unknown;
    message?: unknown;
    statusCode?: unknown;
  };
  const text = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : undefined;
  // Nest's built-in exceptions put the status phrase in `error` (and add statusCode); ours put a machine code there.
  const ownCode = statusCode === undefined && typeof error === 'string';
  return { error: ownCode ? (error as string) : codeFor(status), message: text };
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

function codeFor(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal_error' : 'error');
}
