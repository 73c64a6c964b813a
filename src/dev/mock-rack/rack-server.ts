import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RackContext } from './rack-context';
import { authenticate, roleAllows } from './http/basic-auth';
import { HttpExchange } from './http/http-exchange';
import { RackError } from './http/rack-error';
import { recordRequest, type RecordedRequest } from './http/recorded-request';
import type { RouteMatch, RouteTable, SocketRoute } from './http/route-table';
import { applyRouteHeaders, sendEmpty, sendError } from './http/wire-format';
import { SocketSession } from './streams/socket-session';
import { randomBytes } from 'node:crypto';

/** `/apps?` and `/apps` are the same request: the CLI always appends `?` (spec §1.4). */
function splitUrl(url: string | undefined): { path: string; query: string } {
  const raw = url ?? '/';
  const at = raw.indexOf('?');
  return at < 0 ? { path: raw, query: '' } : { path: raw.slice(0, at), query: raw.slice(at + 1) };
}

/** Gorilla mux matches on the decoded path (so `%3A` in a registry server is a `:`). */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** gorilla's default CheckOrigin: no Origin, or an Origin whose host is the request's Host. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

/** Dispatches HTTP requests and websocket upgrades to the route table, with the rack's middleware. */
export class RackServer {
  private readonly sockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Terminal output is not UTF-8 text; the rack (gorilla) never validates it.
    skipUTF8Validation: true,
  });

  constructor(
    private readonly rack: RackContext,
    private readonly password: string,
    private readonly routes: RouteTable,
    private readonly requests: RecordedRequest[],
  ) {
    this.sockets.on('headers', (headers) => {
      headers.push('X-Content-Type-Options: nosniff', 'X-Frame-Options: DENY');
      headers.push(`Request-Id: ${randomBytes(6).toString('hex')}`);
    });
  }

  readonly handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void this.dispatch(req, res);
  };

  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { path, query } = splitUrl(req.url);
    const isSocket = req.method === 'GET' && req.headers.upgrade === 'websocket';
    const match = isSocket ? this.routes.matchSocket(decodePath(path)) : undefined;
    if (!match) {
      this.requests.push(recordRequest(req, path, query, true, false));
      return this.answerPlainHttp(req, socket);
    }
    if (!sameOrigin(req)) {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nSec-Websocket-Version: 13\r\n' +
          'Connection: close\r\nContent-Length: 10\r\n\r\nForbidden\n',
      );
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => void this.converse(ws, req, match, path, query));
  };

  /** Cuts every open websocket without a close frame, as a rack process that died would; keeps serving. */
  dropSockets(): number {
    const open = [...this.sockets.clients];
    for (const ws of open) ws.terminate();
    return open.length;
  }

  /** Ends every websocket (the mock is closing); clients see the TCP connection drop. */
  terminateSockets(): void {
    for (const ws of this.sockets.clients) ws.terminate();
    this.sockets.close();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url);
    if (path === '/check' && method === 'GET') {
      this.requests.push(recordRequest(req, path, query, false));
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
      res.end('ok');
      return;
    }
    const match = this.routes.matchHttp(method, decodePath(path));
    if (match === undefined || match === 'method-not-allowed') {
      this.requests.push(recordRequest(req, path, query, false, false));
      return sendEmpty(res, match === undefined ? 404 : 405);
    }
    applyRouteHeaders(res);
    const auth = authenticate(req.headers.authorization, this.password, this.rack.jwt);
    if (!auth.ok) {
      res.setHeader('WWW-Authenticate', 'Basic realm="convox"');
      return sendError(req, res, 401, auth.message);
    }
    if (!roleAllows(auth.role, method))
      return sendError(req, res, 401, 'you are unauthorized to access this');
    const record = recordRequest(req, path, query, false);
    this.requests.push(record);
    const exchange = new HttpExchange(
      req,
      res,
      match.params,
      new URLSearchParams(query),
      this.rack,
      record,
      auth.role,
    );
    try {
      if (match.route.streamsBody) exchange.useQueryAsForm();
      else await exchange.readForm();
      await match.route.handle(exchange);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof RackError ? error.status : 500;
      sendError(req, res, status, (error as Error).message);
    }
  }

  /** After the upgrade, as on the rack: authenticate, then run the handler; every failure is in-band. */
  private async converse(
    ws: WebSocket,
    req: IncomingMessage,
    match: RouteMatch<SocketRoute>,
    path: string,
    query: string,
  ): Promise<void> {
    const auth = authenticate(req.headers.authorization, this.password, this.rack.jwt);
    const session = new SocketSession(ws, req, match.params, this.rack, auth.ok ? auth.role : 'r');
    if (!auth.ok) return session.fail(auth.message);
    if (!roleAllows(auth.role, 'GET')) return session.fail('you are unauthorized to access this');
    if (match.route.writeAccess && !auth.role.includes('w'))
      return session.fail('this action requires write access');
    this.requests.push(recordRequest(req, path, query, true));
    try {
      await match.route.handle(session);
    } catch (error) {
      if (!session.finished) await session.fail((error as Error).message);
    }
  }

  /**
   * An upgrade request to a path that is not a websocket route gets the ordinary HTTP answer (the client
   * then reports a bad handshake), written on the raw socket and followed by a close.
   */
  private answerPlainHttp(req: IncomingMessage, socket: Duplex): void {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => socket.end());
    void this.dispatch(req, res);
  }
}
