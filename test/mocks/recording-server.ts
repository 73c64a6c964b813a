import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface RecordingServer {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

export type Route = (req: IncomingMessage, path: string) => { status: number; body: unknown };

/** A loopback JSON server that answers with `route` and records every call (tests assert on them). */
export async function startRecordingServer(route: Route): Promise<RecordingServer> {
  const calls: RecordedCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    calls.push({ method: req.method ?? 'GET', path, headers: req.headers });
    req.resume();
    req.on('end', () => {
      const { status, body } = route(req, path);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
