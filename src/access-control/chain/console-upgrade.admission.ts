import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientAddressOf } from '../../audit/client-address';
import { WebsocketAuditService } from '../../audit/websocket-audit.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { DatabaseOutageLog } from '../../database/outage-log';
import type { UpgradeAdmission } from '../../live-updates/path-scoped-ws.adapter';
import { proxyRequestId } from '../../proxy/http/proxy-request-id';
import { refuseUpgrade } from '../../proxy/websocket/upgrade-refusal';
import { setAccessTarget } from '../access-record';
import { AccessRefusal } from '../access-refusal';
import type { ChainRequest, RouteDeclaration } from './access-attempt';
import { AccessChain } from './access-chain';
import { adminTargetOf } from './route-declaration';

/**
 * The console's websockets as an admin route: any signed-in person (the authentication step asks an
 * upgrade for the session cookie, this gateway's Origin and the session's CSRF token), no permission of its
 * own (each message is filtered by what its receiver may read), the login's MFA owed like any admin call.
 */
export const CONSOLE_SOCKET_ROUTE: RouteDeclaration = {
  isPublic: false,
  isAuthenticated: true,
  auditAction: 'live_updates:listen',
  skipAudit: false,
  isRackProxy: false,
};

/**
 * Upgrades to the gateway's own websockets (the console's live updates) never reach Nest's guards. Before
 * the websocket adapter upgrades one, this runs the very AccessChain instance the global guard runs — the
 * admin steps, in the same order, with the same decision codes — and answers a refusal as the HTTP status
 * its code maps to, recorded by the audit trail exactly like a refused HTTP request.
 */
@Injectable()
export class ConsoleUpgradeAdmission implements UpgradeAdmission {
  private readonly logger = new Logger('LiveUpdates');

  constructor(
    private readonly chain: AccessChain,
    private readonly websocketAudit: WebsocketAuditService,
    private readonly outage: DatabaseOutageLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async admit(incoming: IncomingMessage, socket: Duplex): Promise<boolean> {
    const req = incoming as ChainRequest;
    // One id for the audit event and the client (echoed as X-Request-Id, like HTTP answers).
    req.id = proxyRequestId(req);
    const audit = this.websocketAudit.track(req);
    setAccessTarget(req, adminTargetOf(CONSOLE_SOCKET_ROUTE, undefined));
    try {
      await this.chain.runAdmin({
        req,
        transport: 'websocket',
        clientIp: clientAddressOf(req, this.config.http.trustProxyHops),
        url: req.url ?? '',
        declaration: CONSOLE_SOCKET_ROUTE,
      });
      return true;
    } catch (error) {
      const { status, body, headers } = this.answerFor(error);
      refuseUpgrade(socket, status, Buffer.from(JSON.stringify({ ...body, requestId: req.id })), {
        ...headers,
        'x-request-id': String(req.id),
      });
      await audit.refused(status, body.error);
      return false;
    }
  }

  /** The same status and body the global exception filter gives an HTTP request refused the same way. */
  private answerFor(error: unknown): {
    status: number;
    body: { error: string; message?: string };
    headers: Record<string, string>;
  } {
    if (isDatabaseUnavailable(error)) {
      this.outage.report('websocket refused', error);
      return {
        status: 503,
        body: { error: 'database_unavailable', message: 'database unavailable' },
        headers: { 'retry-after': '5' },
      };
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const body =
        typeof response === 'string'
          ? { error: response }
          : (response as { error?: string; message?: string });
      return {
        status: error.getStatus(),
        body: { error: body.error ?? 'refused', ...(body.message ? { message: body.message } : {}) },
        headers: error instanceof AccessRefusal ? error.headers : {},
      };
    }
    this.logger.error({ err: error }, 'live updates: deciding an upgrade failed');
    return { status: 500, body: { error: 'internal_error', message: 'internal error' }, headers: {} };
  }
}
