import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * The plain HTTP requests a server is answering right now (websocket upgrades are not requests: they are
 * counted as live sessions). Once the gateway is draining, every response — those already running and any
 * that still arrive on an open connection — asks the client to close its connection afterwards, so
 * keep-alive connections end as their last request does.
 */
export class RequestsInFlight {
  private readonly open = new Set<ServerResponse>();
  private draining = false;

  constructor(server: Server) {
    // First in line, so even a response the app ends synchronously is seen before it closes.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.open.add(res);
      if (this.draining) res.shouldKeepAlive = false;
      // The app, the logger, the metrics and the audit already listen for `close`: one more is ours.
      res.setMaxListeners(res.getMaxListeners() + 1);
      res.once('close', () => this.open.delete(res));
    });
  }

  get size(): number {
    return this.open.size;
  }

  /** From now on no response keeps its connection alive. */
  startDraining(): void {
    this.draining = true;
    for (const res of this.open) if (!res.headersSent) res.shouldKeepAlive = false;
  }
}
