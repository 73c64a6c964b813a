import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RackJwt } from './http/rack-jwt';
import type { RecordedRequest } from './http/recorded-request';
import { RouteTable } from './http/route-table';
import { RackServer } from './rack-server';
import { HTTP_ROUTES, SOCKET_ROUTES } from './routes/all-routes';
import { ObjectStore } from './state/object-store';
import { RackState } from './state/rack-state';

export type { RecordedRequest } from './http/recorded-request';

export interface MockRackOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The rack password (Basic auth; the username is ignored). An empty string disables auth, as on a rack. */
  password: string;
  /** Where uploaded objects go; default a fresh temp dir, removed on close. */
  objectsDir?: string;
  /** `GET /system` version; must look like v3 or the CLI switches to v2 endpoints. Default 3.24.9. */
  version?: string;
  /** Serve HTTPS instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** How long a build stays `running` before it completes with a release. Default 1000. */
  buildDelayMs?: number;
  /** How long an app stays `updating` after promote or scale. Default 1000. */
  promoteDelayMs?: number;
}

export interface MockRack {
  /** http(s)://127.0.0.1:<port> */
  url: string;
  port: number;
  password: string;
  /** Every request that passed authentication and reached a route handler, in arrival order. */
  requests: RecordedRequest[];
  clearRequests(): void;
  /** Cuts the open websockets without a close frame (a rack that died mid-stream); returns how many. */
  dropWebsockets(): number;
  close(): Promise<void>;
}

/** Starts an in-memory Convox v3 rack API that the stock `convox` CLI accepts. */
export async function startMockRack(options: MockRackOptions): Promise<MockRack> {
  const host = options.host ?? '127.0.0.1';
  const objectsDir = options.objectsDir ?? (await mkdtemp(join(tmpdir(), 'mock-rack-objects-')));
  const state = new RackState(options.version ?? '3.24.9', {
    buildDelayMs: options.buildDelayMs ?? 1000,
    promoteDelayMs: options.promoteDelayMs ?? 1000,
  });
  const requests: RecordedRequest[] = [];
  const rack = new RackServer(
    { state, objects: new ObjectStore(objectsDir), jwt: new RackJwt() },
    options.password,
    new RouteTable(HTTP_ROUTES, SOCKET_ROUTES),
    requests,
  );
  // No request or idle limits beyond the rack's own: log follows and big uploads may take long.
  const serverOptions = { requestTimeout: 0, keepAliveTimeout: 120_000 };
  const server: Server = options.tls
    ? createHttpsServer(
        { ...serverOptions, key: options.tls.key, cert: options.tls.cert },
        rack.handleRequest,
      )
    : createHttpServer(serverOptions, rack.handleRequest);
  server.on('upgrade', rack.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    password: options.password,
    requests,
    clearRequests: () => void requests.splice(0),
    dropWebsockets: () => rack.dropSockets(),
    close: async () => {
      state.dispose();
      rack.terminateSockets();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (!options.objectsDir) await rm(objectsDir, { recursive: true, force: true });
    },
  };
}
