import { Logger, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface PathServer {
  path: string;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: unknown) => void): void;
  emit(event: 'connection', ws: unknown, req: IncomingMessage): boolean;
}

/**
 * Decides whether an upgrade to one of the gateway's own websockets may be upgraded. The access chain
 * provides it (it runs the admin steps); true lets the upgrade through with `req.principal` set, false
 * means the upgrade was answered with its refusal and closed.
 */
export interface UpgradeAdmission {
  admit(req: IncomingMessage, socket: Duplex): Promise<boolean>;
}
export const UPGRADE_ADMISSION = Symbol('UPGRADE_ADMISSION');

/**
 * Nest's ws adapter, sharing the HTTP server's `upgrade` event with other handlers by path. The stock
 * adapter destroys every upgrade whose path is not one of its gateways', which would cut the rack proxy's
 * websockets; this one takes only its own paths, leaves the paths `claimedElsewhere` to their handler, and
 * answers 404 to the rest (so an unknown path is refused, not left hanging). An upgrade on its own paths is
 * upgraded only once the access chain admits it (UPGRADE_ADMISSION), so a refusal is an HTTP answer before
 * any websocket exists. Works for any HTTP adapter: it needs only the underlying node server.
 */
export class PathScopedWsAdapter extends WsAdapter {
  private readonly decisions = new Logger('LiveUpdates');

  constructor(
    private readonly app: INestApplicationContext,
    private readonly claimedElsewhere: (path: string) => boolean,
  ) {
    super(app);
  }

  protected override ensureHttpServerExists(port: number, httpServer?: Server): Server | undefined {
    if (this.httpServersRegistry.has(port) || !httpServer)
      return super.ensureHttpServerExists(port, httpServer);
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = pathOf(req.url);
      const servers = (this.wsServersRegistry.get(port) ?? []) as PathServer[];
      const server = servers.find((candidate) => candidate.path === path);
      if (server) {
        socket.on('error', () => socket.destroy());
        void this.admitted(req, socket).then((admitted) => {
          if (admitted) server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
        });
        return;
      }
      if (path !== undefined && this.claimedElsewhere(req.url ?? '')) return;
      socket.on('error', () => socket.destroy());
      answer(socket, '404 Not Found', '{"error":"not found"}');
    });
    return httpServer;
  }

  /** Fails closed: an admission that is missing or breaks refuses the upgrade. */
  private async admitted(req: IncomingMessage, socket: Duplex): Promise<boolean> {
    try {
      return await this.app.get<symbol, UpgradeAdmission>(UPGRADE_ADMISSION).admit(req, socket);
    } catch (error) {
      this.decisions.error({ err: error }, 'websocket upgrade could not be decided');
      answer(socket, '500 Internal Server Error', '{"error":"internal_error","message":"internal error"}');
      return false;
    }
  }
}

function answer(socket: Duplex, status: string, body: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
