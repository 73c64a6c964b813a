import { HttpException, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientAddressOf } from '../../audit/client-address';
import { WebsocketAuditService } from '../../audit/websocket-audit.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { DatabaseOutageLog } from '../../database/outage-log';
import { proxyRequestId } from '../../proxy/http/proxy-request-id';
import {
  RackWebsocketProxy,
  type PendingUpgrade,
  type UpgradeRequest,
} from '../../proxy/websocket/rack-websocket-proxy.service';
import { isToldInBand, refuseUpgrade } from '../../proxy/websocket/upgrade-refusal';
import { AccessRefusal } from '../access-refusal';
import { stripRackProxyPrefix } from '../rack-proxy-path';
import type { ChainRequest } from './access-attempt';
import { AccessChain } from './access-chain';

/**
 * Websocket upgrades for the rack proxy never reach Nest's router or guards. On the HTTP server's `upgrade`
 * event this runs the very AccessChain instance the global guard runs for HTTP — the proxy steps, in the same
 * order, with the same decision codes — and hands an upgrade it lets through (its session event already
 * committed) to RackWebsocketProxy, which dials the rack and bridges frames.
 */
@Injectable()
export class RackUpgradeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RackWebsocketProxy');
  private httpServer?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly chain: AccessChain,
    private readonly proxy: RackWebsocketProxy,
    private readonly websocketAudit: WebsocketAuditService,
    private readonly outage: DatabaseOutageLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.httpServer = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.httpServer?.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): void {
    this.httpServer?.off('upgrade', this.onUpgrade);
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (stripRackProxyPrefix(req.url ?? '') === null) {
      // Not ours. With no other upgrade handler nobody would answer, so say so instead of hanging.
      if (this.httpServer?.listenerCount('upgrade') === 1) {
        refuseUpgrade(socket, 404, { error: 'not found' });
      }
      return;
    }
    socket.on('error', () => socket.destroy());
    const upgradeReq = req as UpgradeRequest & ChainRequest;
    // One id for the audit events, the rack and the client (echoed as X-Request-Id, like HTTP responses).
    upgradeReq.id = proxyRequestId(upgradeReq);
    const upgrade: PendingUpgrade = {
      req: upgradeReq,
      socket,
      head,
      audit: this.websocketAudit.track(upgradeReq),
    };
    this.admit(upgrade, upgradeReq).catch(async (error: unknown) => {
      // PostgreSQL down (the credential lookup failed): the same 503 as on plain HTTP, logged per interval.
      if (isDatabaseUnavailable(error)) {
        this.outage.report('websocket refused', error);
        return this.proxy.refuse(upgrade, 503, { error: 'database unavailable' }).catch(() => undefined);
      }
      if (error instanceof HttpException) return this.refuseWith(upgrade, upgradeReq, error);
      this.logger.error({ err: error }, 'websocket proxy failed');
      await this.proxy.refuse(upgrade, 500, { error: 'internal error' });
    });
  };

  private async admit(upgrade: PendingUpgrade, req: UpgradeRequest & ChainRequest): Promise<void> {
    const clientIp = clientAddressOf(req, this.config.http.trustProxyHops);
    await this.chain.runProxy({ req, transport: 'websocket', clientIp, url: req.url ?? '' });
    const { principal, convoxRoute, websocketSession } = req;
    if (!principal || !convoxRoute || !websocketSession)
      throw new Error('access chain left the upgrade undecided');
    await this.proxy.connect(upgrade, {
      principal,
      authorized: convoxRoute,
      clientIp,
      session: websocketSession,
    });
  }

  /** Refuses with what the exception says: the human message to the client, the code to the audit. */
  private refuseWith(upgrade: PendingUpgrade, req: ChainRequest, error: HttpException): Promise<void> {
    const response = error.getResponse();
    const body =
      typeof response === 'string' ? { error: response } : (response as { error?: string; message?: string });
    // Same words as the HTTP path's filter: the human message when there is one.
    const text = body.message ?? body.error ?? 'request refused';
    const status = error.getStatus();
    const target = req.rackTarget;
    const websocketRoute = target?.allowed === true && target.route.kind === 'websocket';
    const inBand = websocketRoute && error instanceof AccessRefusal && isToldInBand(error.code);
    return this.proxy.refuse(
      upgrade,
      status,
      { error: text },
      {
        auditError: body.error ?? text,
        headers: error instanceof AccessRefusal ? error.headers : {},
        inBand,
      },
    );
  }
}
