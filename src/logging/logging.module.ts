import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import { clientAddressOf } from '../audit/client-address';
import { AppConfig } from '../config/app-config';
import { requestIdFor } from '../audit/request-id';
import { redactUrl } from './redact-url';
import { LOGGED_REQUEST_HEADERS, LOGGED_RESPONSE_HEADERS, pickLoggedHeaders } from './logged-headers';
import { logFormatFor } from './log-format';

/**
 * One line per request (nestjs-pino), carrying the request id that is also echoed to the client. Lines
 * go to stdout unless a `destination` is given (tests pass one to read back what the gateway logged):
 * JSON, or pino-pretty's human-readable form for a developer at a terminal (see `logFormatFor`).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    const options: PinoHttpOptions = {
      level: config.logLevel,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = requestIdFor(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: {
          id: unknown;
          method: string;
          url: string;
          headers: Record<string, unknown>;
          remoteAddress?: string;
          raw?: IncomingMessage;
        }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          headers: pickLoggedHeaders(req.headers, LOGGED_REQUEST_HEADERS),
          remoteAddress: req.remoteAddress,
          // X-Forwarded-For read as far as TRUST_PROXY_HOPS allows, like the audit trail: the raw header is
          // client text and stays out of the log.
          ...(req.raw ? { clientIp: clientAddressOf(req.raw, config.http.trustProxyHops) } : {}),
        }),
        res: (res: { statusCode: number | null; headers?: Record<string, unknown> }) => ({
          statusCode: res.statusCode,
          headers: pickLoggedHeaders(res.headers, LOGGED_RESPONSE_HEADERS),
        }),
      },
      // 503 is a deliberate refusal while a dependency is down (its cause is logged once per interval).
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || (res.statusCode >= 500 && res.statusCode !== 503)
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
      // pino-http invents an Error (with a stack) for every 5xx; the real errors are logged where they happen.
      customErrorObject: (_req: IncomingMessage, _res: ServerResponse, error: Error, value: object) =>
        /^failed with status code \d+$/.test(error.message) ? { ...value, err: undefined } : value,
      // Health probes would otherwise drown the log.
      autoLogging: {
        ignore: (req: IncomingMessage) => req.url === '/healthz' || req.url === '/readyz',
      },
    };
    const stream = destination ?? defaultDestination(config);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: stream ? [options, stream] : options })],
    };
  }
}

/** Stdout as pino writes it (JSON), or a pino-pretty stream when a developer is watching a terminal. */
function defaultDestination(config: AppConfig): DestinationStream | undefined {
  if (logFormatFor(config.mode, process.stdout.isTTY) === 'json') return undefined;
  return pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
