import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AuditedUpgrade, AuditedWebsocketSession } from '../../audit/websocket-audit.service';
import type { Principal } from '../../access-control/principal';
import { stripRackProxyPrefix } from '../../access-control/rack-proxy-path';
import type { AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { upstreamRequestHeaders } from '../http/upstream-request-headers';
import { rackPathFor } from '../rack/rack-endpoint';
import { rackFailure } from '../rack/rack-failure';
import { RackConnection } from '../rack/rack-connection.service';
import { ExitMarkerScanner } from './exit-marker';
import { bridgeWebsockets, DEFAULT_BRIDGE_OPTIONS, RACK_LOST, type BridgeOptions } from './frame-bridge';
import { LiveSessionHandle, LiveWebsockets } from './live-websockets';
import { dialRackWebsocket, offeredProtocols } from './rack-websocket-dialer';
import { refuseInBand, refuseUpgrade } from './upgrade-refusal';

/** Handshake headers the websocket libraries set per leg; the rack's Origin is rewritten to its own. */
const HANDSHAKE_HEADERS: ReadonlySet<string> = new Set([
  'origin',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

/** Frames bigger than this are refused on either leg (the rack's own frames are a few KB). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export const BRIDGE_OPTIONS = Symbol('RACK_WEBSOCKET_BRIDGE_OPTIONS');

export type UpgradeRequest = IncomingMessage & { rackProtocol?: string; id?: unknown };

/** One upgrade request on its raw socket, with the audit trail that follows it. */
export interface PendingUpgrade {
  req: UpgradeRequest;
  socket: Duplex;
  head: Buffer;
  audit: AuditedUpgrade;
}

/** What the access chain let the upgrade in with. */
export interface AuthorizedUpgrade {
  principal: Principal;
  authorized: AuthorizedConvoxRoute;
  clientIp: string | undefined;
  session: AuditedWebsocketSession;
}

/**
 * The websocket half of the rack proxy (logs, exec, build logs, consoles), once the access chain has let an
 * upgrade in and committed its session event (RackUpgradeListener runs the chain): dial the rack, and only
 * then upgrade the client and bridge frames. Open sessions are registered in LiveWebsockets so a revoked
 * credential or permission ends them (AccessRevocationService). Also answers refusals, in-band where the
 * convox CLI would print them.
 */
@Injectable()
export class RackWebsocketProxy implements OnModuleDestroy {
  private readonly logger = new Logger(RackWebsocketProxy.name);
  private readonly server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    skipUTF8Validation: true,
    maxPayload: MAX_FRAME_BYTES,
    // The client is offered exactly the subprotocol the rack chose (stashed on the request by the dial).
    handleProtocols: (_offered, req) => (req as UpgradeRequest).rackProtocol || false,
  });
  private readonly live = new Set<WebSocket>();

  constructor(
    private readonly rack: RackConnection,
    private readonly liveSessions: LiveWebsockets,
    @Inject(BRIDGE_OPTIONS) private readonly bridgeOptions: BridgeOptions = DEFAULT_BRIDGE_OPTIONS,
  ) {
    // The 101 carries the request id too, so a client can find its session's audit event.
    this.server.on('headers', (headers: string[], req: UpgradeRequest) => {
      if (typeof req.id === 'string') headers.push(`X-Request-Id: ${req.id}`);
    });
  }

  onModuleDestroy(): void {
    for (const socket of this.live) socket.terminate();
  }

  /**
   * Refuses the upgrade — in-band (101, `ERROR:` frame, close) when `inBand`, else plain HTTP with `headers`
   * — and completes its audit trail with that status and `auditError`.
   */
  refuse(
    upgrade: PendingUpgrade,
    status: number,
    body: { error: string },
    options: { auditError?: string; headers?: OutgoingHttpHeaders; inBand?: boolean } = {},
  ): Promise<void> {
    const { req, socket, head, audit } = upgrade;
    const auditError = options.auditError ?? body.error;
    if (options.inBand) {
      req.rackProtocol = offeredProtocols(req)[0];
      const grace = this.bridgeOptions.closeGraceMs;
      if (refuseInBand(this.server, req, socket, head, status, body.error, grace)) {
        return audit.refused(status, auditError, { inBand: true });
      }
    }
    refuseUpgrade(socket, status, body, { ...options.headers, 'x-request-id': String(req.id) });
    return audit.refused(status, auditError);
  }

  /** Dials the rack, then upgrades the client and bridges the two; the session event is closed at the end. */
  async connect(upgrade: PendingUpgrade, { principal, authorized, clientIp, session }: AuthorizedUpgrade) {
    const { req } = upgrade;
    // Registered from here on, so an access change while the rack is dialed is not missed.
    const live = new LiveSessionHandle(this.liveSessions, {
      principal,
      permission: authorized.permission,
      method: req.method ?? 'GET',
      rawPath: stripRackProxyPrefix(req.url ?? '') ?? '',
      headers: req.headers,
    });
    live.auditEventId = session.eventId;
    try {
      await this.dialAndBridge(upgrade, { principal, authorized, clientIp, session }, live);
    } finally {
      if (!live.attached) live.forget();
    }
  }

  private async dialAndBridge(
    upgrade: PendingUpgrade,
    { principal, authorized, clientIp, session }: AuthorizedUpgrade,
    live: LiveSessionHandle,
  ): Promise<void> {
    const { req, socket, head, audit } = upgrade;
    const requestId = String(req.id);
    const endpoint = this.rack.endpoint;
    if (!endpoint) throw rackFailure(new Error('no rack configured'));
    const headers = upstreamRequestHeaders(
      req.headers,
      { authorization: endpoint.authorization, principal, clientIp, requestId },
      HANDSHAKE_HEADERS,
    );
    headers.origin = endpoint.origin;
    let dialed;
    try {
      dialed = await dialRackWebsocket(
        endpoint,
        rackPathFor(endpoint, authorized.path, ''),
        headers,
        offeredProtocols(req),
        MAX_FRAME_BYTES,
      );
    } catch (error) {
      throw rackFailure(error);
    }
    if (dialed.kind === 'refused') {
      // The rack's own answer goes to the client as it is; the audit event notes who refused.
      const {
        connection: _c,
        'transfer-encoding': _t,
        'content-length': _l,
        'set-cookie': _s,
        ...kept
      } = dialed.headers;
      refuseUpgrade(socket, dialed.status, dialed.body, {
        'content-type': undefined,
        ...kept,
        'x-request-id': requestId,
      });
      return audit.refused(dialed.status, 'rack refused the websocket');
    }
    const rackSocket = dialed.socket;
    if (socket.destroyed) {
      rackSocket.terminate();
      return audit.refused(499, 'client left before the upgrade');
    }
    req.rackProtocol = rackSocket.protocol;
    this.server.handleUpgrade(req, socket, head, (client) => {
      this.live.add(client).add(rackSocket);
      const exit = new ExitMarkerScanner();
      const bridge = bridgeWebsockets(client, rackSocket, this.bridgeOptions, {
        onRackFrame: (data, isBinary) => {
          if (!isBinary) exit.scan(data);
        },
      });
      live.attach(bridge);
      rackSocket.resume();
      void bridge.ended.then((end) => {
        live.forget();
        this.live.delete(client);
        this.live.delete(rackSocket);
        return session
          .close({
            exitCode: exit.exitCode,
            bytesIn: end.bytesFromClient,
            bytesOut: end.bytesFromRack,
            error: end.rackLost ? RACK_LOST.reason : undefined,
            closeCode: end.code === 1000 ? undefined : end.code,
            endedBy: end.endedByGateway ? live.endedBy : undefined,
          })
          .catch((failure: unknown) => this.logger.error({ err: failure }, 'audit completion failed'));
      });
    });
  }
}
