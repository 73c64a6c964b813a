import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface PathServer {
  path: string;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: unknown) => void): void;
  emit(event: 'connection', ws: unknown, req: IncomingMessage): boolean;
}

/**
 * Nest's ws adapter, sharing the HTTP server's `upgrade` event with other handlers by path. The stock
 * adapter destroys every upgrade whose path is not one of its gateways', which would cut the rack proxy's
 * websockets; this one takes only its own paths, leaves the paths `claimedElsewhere` to their handler, and
 * answers 404 to the rest (so an unknown path is refused, not left hanging). Works for any HTTP adapter:
 * it needs only the underlying node server.
 */
export class PathScopedWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
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
        server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
        return;
      }
      if (path !== undefined && this.claimedElsewhere(req.url ?? '')) return;
      socket.on('error', () => socket.destroy());
      socket.end(
        'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"not found"}',
      );
    });
    return httpServer;
  }
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
