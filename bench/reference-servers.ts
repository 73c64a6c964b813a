import 'reflect-metadata';
import {
  All,
  CanActivate,
  Controller,
  ExecutionContext,
  Injectable,
  Module,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Reference servers the gateway is measured against, each in its own process like the gateway:
 * - `plain`: a pass-through proxy on Node's `http` alone (the practical ceiling of a Node proxy here);
 * - `nest-express` / `nest-fastify`: the smallest NestJS app on that adapter that still has the gateway's
 *   shape — one global guard reading a header, one controller piping to the rack — and no database.
 * Prints `{"port"}` once listening.
 */
const PREFIX = '/api/v1/rack-proxy';
const rack = new URL(process.env.RACK_URL ?? '');
const rackAuthorization = `Basic ${Buffer.from(`convox:${process.env.RACK_TOKEN ?? ''}`).toString('base64')}`;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Pipes one request to the rack and the answer back, with the rack's credential swapped in. */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').slice(PREFIX.length) || '/';
  const upstream = request(
    {
      host: rack.hostname,
      port: rack.port,
      method: req.method,
      path,
      agent,
      headers: { ...req.headers, host: rack.host, authorization: rackAuthorization },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

@Injectable()
class HeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (typeof req.headers.authorization !== 'string') throw new UnauthorizedException();
    return true;
  }
}

/** One controller piping everything under the prefix (the wildcard is spelled per adapter's router). */
function minimalModule(wildcard: string) {
  @Controller('api/v1/rack-proxy')
  class PipeController {
    @All(wildcard)
    pipe(@Req() req: IncomingMessage | { raw: IncomingMessage }, @Res() res: unknown): void {
      if ('raw' in req) {
        // Fastify: take the raw response over, so Fastify neither sends nor times it.
        const reply = res as { hijack(): void; raw: ServerResponse };
        reply.hijack();
        forward(req.raw, reply.raw);
      } else forward(req, res as ServerResponse);
    }
  }

  @Module({ controllers: [PipeController], providers: [{ provide: APP_GUARD, useClass: HeaderGuard }] })
  class MinimalModule {}
  return MinimalModule;
}

async function listen(kind: string): Promise<number> {
  if (kind === 'plain') {
    const server = createServer(forward);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }
  if (kind !== 'nest-express' && kind !== 'nest-fastify') throw new Error(`unknown reference ${kind}`);
  const fastify = kind === 'nest-fastify';
  const app = await NestFactory.create(
    minimalModule(fastify ? '*' : '*path'),
    fastify ? new FastifyAdapter() : new ExpressAdapter(),
    {
      logger: false,
      bodyParser: false,
    },
  );
  if (fastify) {
    // Bodies stay unread streams, as on the gateway's proxy route.
    const instance = app.getHttpAdapter().getInstance() as {
      addContentTypeParser(
        type: string,
        parse: (req: unknown, body: unknown, done: () => void) => void,
      ): void;
    };
    instance.addContentTypeParser('*', (_req, _body, done) => done());
  }
  await app.listen(0, '127.0.0.1');
  return Number(new URL(await app.getUrl()).port);
}

listen(process.argv[2] ?? 'plain').then(
  (port) => process.stdout.write(`${JSON.stringify({ port })}\n`),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
