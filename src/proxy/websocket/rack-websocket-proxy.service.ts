import { HttpException, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, OutgoingHttpHeaders, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  WebsocketAuditService,
  type AuditedUpgrade,
  type AuditedWebsocketSession,
} from '../../audit/websocket-audit.service';
import { AuthService } from '../../auth/auth.service';
import { HostCheck } from '../../auth/host-check';
import type { Principal } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { DatabaseOutageLog } from '../../database/outage-log';
import { DeployGate } from '../../approvals/gate/deploy-gate.service';
import { MfaEnforcementService } from '../../mfa/mfa-enforcement.service';
import { upgradeMfaCheck } from '../../mfa/mfa-rack.guard';
import { MFA_REQUIRED_HEADER } from '../../mfa/mfa-refusal';
import { ConvoxAuthorizerService, type AuthorizedConvoxRoute } from '../../rbac/convox-authorizer.service';
import { isWebsocketUpgrade } from '../../rbac/method-safety';
import { stripRackProxyPrefix } from '../../rbac/rack-proxy-prefix';
import { clientAddressOf } from '../../audit/client-address';
import { proxyRequestId } from '../http/proxy-request-id';
import { upstreamRequestHeaders } from '../http/upstream-request-headers';
import { rackPathFor } from '../rack/rack-endpoint';
import { rackFailure } from '../rack/rack-failure';
import { RackConnection } from '../rack/rack-connection.service';
import { ExitMarkerScanner } from './exit-marker';
import { bridgeWebsockets, DEFAULT_BRIDGE_OPTIONS, RACK_LOST, type BridgeOptions } from './frame-bridge';
import { LiveSessionHandle, LiveWebsockets } from './live-websockets';
import { dialRackWebsocket, offeredProtocols } from './rack-websocket-dialer';
import { isToldInBand, refusalHeadersOf, refuseInBand, refuseUpgrade } from './upgrade-refusal';

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

/**
 * The websocket half of the rack proxy (logs, exec, build logs, consoles). On the HTTP server's `upgrade`
 * event for the proxy prefix: authenticate and authorize with the same services as the HTTP guards,
 * record the audit event (refusing if it cannot be written), dial the rack, and only then upgrade the
 * client and bridge frames. Open sessions are registered in LiveWebsockets so a revoked credential or
 * permission ends them (AccessRevocationService).
 */
@Injectable()
export class RackWebsocketProxy implements OnModuleInit, OnModuleDestroy {
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
  private httpServer?: Server;
  private readonly hostCheck: HostCheck;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly authorizer: ConvoxAuthorizerService,
    private readonly websocketAudit: WebsocketAuditService,
    private readonly rack: RackConnection,
    private readonly outage: DatabaseOutageLog,
    private readonly liveSessions: LiveWebsockets,
    private readonly mfa: MfaEnforcementService,
    private readonly deployGate: DeployGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BRIDGE_OPTIONS) private readonly bridgeOptions: BridgeOptions = DEFAULT_BRIDGE_OPTIONS,
  ) {
    this.hostCheck = new HostCheck(config);
    // The 101 carries the request id too, so a client can find its session's audit event.
    this.server.on('headers', (headers: string[], req: UpgradeRequest) => {
      if (typeof req.id === 'string') headers.push(`X-Request-Id: ${req.id}`);
    });
  }

  onModuleInit(): void {
    this.httpServer = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.httpServer?.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): void {
    this.httpServer?.off('upgrade', this.onUpgrade);
    for (const socket of this.live) socket.terminate();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const raw = stripRackProxyPrefix(req.url ?? '');
    if (raw === null) {
      // Not ours. With no other upgrade handler nobody would answer, so say so instead of hanging.
      if (this.httpServer?.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, { error: 'not found' });
      return;
    }
    socket.on('error', () => socket.destroy());
    const upgrade = req as UpgradeRequest;
    // One id for the audit events, the rack and the client (echoed as X-Request-Id, like HTTP responses).
    upgrade.id = proxyRequestId(upgrade);
    const audit = this.websocketAudit.track(upgrade);
    // Known before authentication, from the path alone: whether a refusal may be told in-band.
    const isSocket = isWebsocketUpgrade(req.headers);
    const located = this.authorizer.locate(req.method ?? 'GET', raw, req.headers, isSocket);
    const websocketRoute = located.allowed && located.route.kind === 'websocket';
    const refuse: Refuse = (status, body, auditError = body.error, headers = {}) => {
      if (websocketRoute && isToldInBand(status)) {
        upgrade.rackProtocol = offeredProtocols(upgrade)[0];
        const grace = this.bridgeOptions.closeGraceMs;
        if (refuseInBand(this.server, upgrade, socket, head, status, body.error, grace)) {
          return audit.refused(status, auditError, { inBand: true });
        }
      }
      refuseUpgrade(socket, status, body, { ...headers, 'x-request-id': String(upgrade.id) });
      return audit.refused(status, auditError);
    };
    this.handle(upgrade, socket, head, audit, refuse).catch(async (error: unknown) => {
      // PostgreSQL down (the credential lookup failed): the same 503 as on plain HTTP, logged per interval.
      if (isDatabaseUnavailable(error)) {
        this.outage.report('websocket refused', error);
        return refuse(503, { error: 'database unavailable' }).catch(() => undefined);
      }
      this.logger.error({ err: error }, 'websocket proxy failed');
      await refuse(500, { error: 'internal error' });
    });
  };

  private async handle(
    req: UpgradeRequest,
    socket: Duplex,
    head: Buffer,
    audit: AuditedUpgrade,
    refuse: Refuse,
  ): Promise<void> {
    const hostRefusal = this.hostCheck.refusalFor(req.headers.host, (req.url ?? '').split('?')[0]);
    if (hostRefusal) return refuse(400, { error: hostRefusal.message }, hostRefusal.error);
    const rawPath = stripRackProxyPrefix(req.url ?? '') ?? '';
    const clientIp = clientAddressOf(req, this.config.http.trustProxyHops);
    let principal: Principal;
    let inlineMfaCode: string | undefined;
    try {
      ({ principal, mfaCode: inlineMfaCode } = await this.auth.authenticateIncoming(req, clientIp));
    } catch (error) {
      return this.refuseWith(refuse, error);
    }
    const decision = this.authorizer.authorize(
      principal,
      req.method ?? 'GET',
      rawPath,
      req.headers,
      isWebsocketUpgrade(req.headers),
    );
    let authorized: AuthorizedConvoxRoute;
    let approvalId: string | undefined;
    if (decision.allowed) {
      const { allowed: _allowed, ...rest } = decision;
      authorized = rest;
    } else {
      // A deploy step of a deploy_with_approval token (build logs, exec) is the deploy gate's to decide.
      const located = this.authorizer.locate(req.method ?? 'GET', rawPath, req.headers, true);
      let admitted;
      try {
        admitted = located.allowed ? await this.deployGate.admitUpgrade(principal, located, req) : null;
      } catch (error) {
        return this.refuseWith(refuse, error);
      }
      if (!admitted || !located.allowed) return refuse(decision.status, { error: decision.error });
      const { allowed: _allowed, ...rest } = located;
      authorized = rest;
      approvalId = admitted.approvalId;
    }
    if (authorized.route.kind !== 'websocket') {
      return refuse(400, { error: 'invalid request: not a websocket route' });
    }
    try {
      const refusal = await upgradeMfaCheck(
        this.mfa,
        principal,
        req.headers,
        inlineMfaCode,
        authorized.permission,
      );
      if (refusal) {
        const headers = { 'x-request-id': String(req.id), [MFA_REQUIRED_HEADER]: refusal.requirement };
        refuseUpgrade(socket, refusal.getStatus(), refusal.getResponse() as { error: string }, headers);
        return audit.refused(refusal.getStatus(), refusal.code);
      }
    } catch (error) {
      return this.refuseWith(refuse, error);
    }
    // Registered from here on, so an access change while the rack is dialed is not missed.
    const live = new LiveSessionHandle(this.liveSessions, {
      principal,
      permission: authorized.permission,
      method: req.method ?? 'GET',
      rawPath,
      headers: req.headers,
    });
    try {
      await this.connect(req, socket, head, audit, refuse, {
        principal,
        authorized,
        clientIp,
        live,
        approvalId,
      });
    } finally {
      if (!live.attached) live.forget();
    }
  }

  /** Audits the session, dials the rack, then upgrades the client and bridges the two. */
  private async connect(
    req: UpgradeRequest,
    socket: Duplex,
    head: Buffer,
    audit: AuditedUpgrade,
    refuse: Refuse,
    { principal, authorized, clientIp, live, approvalId }: AuthorizedUpgrade,
  ): Promise<void> {
    const requestId = String(req.id);
    const endpoint = this.rack.endpoint;
    if (!endpoint) return this.refuseWith(refuse, rackFailure(new Error('no rack configured')));

    let session: AuditedWebsocketSession;
    const command = req.headers.command;
    try {
      session = await this.websocketAudit.open(req, principal, authorized, {
        command: typeof command === 'string' ? command : undefined,
        processId: authorized.params.pid,
        approvalId,
      });
    } catch {
      // Nothing was written, so there is nothing to complete (and no fallback would be written either).
      refuseUpgrade(socket, 503, { error: 'audit log unavailable' }, { 'x-request-id': requestId });
      return;
    }
    live.auditEventId = session.eventId;

    const headers = upstreamRequestHeaders(
      req.headers,
      { authorization: endpoint.authorization, principal, clientIp, requestId },
      HANDSHAKE_HEADERS,
    );
    headers.origin = endpoint.origin;
    const offered = offeredProtocols(req);
    let dialed;
    try {
      dialed = await dialRackWebsocket(
        endpoint,
        rackPathFor(endpoint, authorized.path, ''),
        headers,
        offered,
        MAX_FRAME_BYTES,
      );
    } catch (error) {
      return this.refuseWith(refuse, rackFailure(error));
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

  /** Refuses with what an HttpException says: the human message to the client, the code to the audit. */
  private refuseWith(refuse: Refuse, error: unknown): Promise<void> {
    if (!(error instanceof HttpException)) throw error;
    const response = error.getResponse();
    const body =
      typeof response === 'string' ? { error: response } : (response as { error?: string; message?: string });
    // Same words as the HTTP path's filter: the human message when there is one.
    const text = body.message ?? body.error ?? 'request refused';
    return refuse(error.getStatus(), { error: text }, body.error ?? text, refusalHeadersOf(error));
  }
}

/**
 * Refuses the upgrade (in-band where it may be told so, else plain HTTP with `headers`) and completes its
 * audit trail with that status.
 */
type Refuse = (
  status: number,
  body: { error: string },
  auditError?: string,
  headers?: OutgoingHttpHeaders,
) => Promise<void>;

type UpgradeRequest = IncomingMessage & { rackProtocol?: string; id?: unknown };

/** What the upgrade was let in with, handed from the decision to the connection. */
interface AuthorizedUpgrade {
  principal: Principal;
  authorized: AuthorizedConvoxRoute;
  clientIp: string | undefined;
  live: LiveSessionHandle;
  /** The deploy approval request the session runs under, if the deploy gate admitted it. */
  approvalId?: string;
}
