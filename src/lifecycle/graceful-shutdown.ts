import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { LiveWebsockets } from '../proxy/websocket/live-websockets';
import { RequestsInFlight } from './requests-in-flight';

/** The close frame every live websocket gets when the grace period is over: 1001 is "going away". */
export const SHUTDOWN_CLOSE = { code: 1001, reason: 'gateway shutting down' } as const;

/** How long ended websockets get to finish their closing handshake and write their audit outcome. */
const SESSION_CLOSE_WAIT_MS = 10_000;
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await pause(POLL_MS);
  }
  return true;
}

/**
 * The gateway's answer to SIGTERM, in an order Nest's own shutdown hooks cannot give (they destroy modules
 * before the server stops listening): stop accepting; let in-flight requests and live websockets run for
 * up to the grace period; end the websockets still open with a close frame and a reason, their audit
 * events recording who ended them and why; cut requests still running; then close the app, which commits
 * every audit write in flight before the database pool goes.
 */
export async function drainGateway(
  app: INestApplication,
  requests: RequestsInFlight,
  graceMs: number,
  logger = new Logger('Shutdown'),
): Promise<void> {
  const server = app.getHttpServer() as Server;
  const live = app.get(LiveWebsockets, { strict: false });
  logger.log({ requests: requests.size, websockets: live.size, graceMs }, 'draining');
  requests.startDraining();
  server.close();
  server.closeIdleConnections();

  await waitUntil(() => requests.size === 0 && live.size === 0, graceMs);
  const sessions = live.all();
  for (const session of sessions) {
    session.end(SHUTDOWN_CLOSE, { actor: null, cause: 'gateway_shutdown', denied: false });
  }
  if (sessions.length > 0) {
    logger.log({ websockets: sessions.length }, 'websockets ended');
    await waitUntil(() => live.size === 0, SESSION_CLOSE_WAIT_MS);
  }
  if (requests.size > 0) {
    logger.warn({ requests: requests.size }, 'requests still running after the grace period were cut');
    server.closeAllConnections();
  }
  await app.close();
  logger.log('stopped');
}

/**
 * Drains on SIGTERM or SIGINT, then exits 0 (1 if the drain itself failed). The listeners go away when the
 * app is closed some other way (tests close their in-process gateways themselves).
 */
export function installGracefulShutdown(app: INestApplication, config: AppConfig): void {
  const server = app.getHttpServer() as Server;
  const requests = new RequestsInFlight(server);
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const onSignal = () => {
    signals.forEach((signal) => process.off(signal, onSignal));
    drainGateway(app, requests, config.http.shutdownGraceMs).then(
      () => process.exit(0),
      (error: unknown) => {
        new Logger('Shutdown').error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  signals.forEach((signal) => process.on(signal, onSignal));
  server.once('close', () => signals.forEach((signal) => process.off(signal, onSignal)));
}
