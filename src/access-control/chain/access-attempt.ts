import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import type { DeployStep } from '../../approvals/gate/deploy-steps';
import type { RackAnswerCheck } from '../../proxy/rack-proxy-request';
import type { MaybeAuthenticatedRequest } from '../access-request';
import type { AuditedWebsocketSession } from '../../audit/websocket-audit.service';
import type { LiveSessionHandle } from '../../proxy/websocket/live-websockets';
import type { MfaLevel } from '../../rbac/mfa-levels';
import type { AuthorizedConvoxRoute, ConvoxAuthorization } from '../../rbac/convox-authorizer.service';

/** What an admin route declares about access, read once from its decorators. */
export interface RouteDeclaration {
  isPublic: boolean;
  isAuthenticated: boolean;
  permission?: string;
  /** `@AuditAction`: the audited name of a self-service route. */
  auditAction?: string;
  auditResourceType?: string;
  skipAudit: boolean;
  mfaLevel?: MfaLevel;
  /** The rack proxy's controller (`@RackProxyRoute`): its requests take the proxy chain. */
  isRackProxy: boolean;
}

/**
 * A request as the chain's steps see it, whatever carried it: an Express request (HTTP) or the raw upgrade
 * request of a websocket. Steps write what they learn here — the principal, the matched rack route, the
 * body to forward — for the steps after them and for the proxy.
 */
export type ChainRequest = IncomingMessage &
  Partial<Pick<MaybeAuthenticatedRequest, 'principal' | 'credentialSource' | 'inlineMfaCode'>> & {
    /** Express's raw URL; upgrade requests only have `url`. */
    originalUrl?: string;
    /** Parsed admin bodies (the CLI approval form carries its CSRF token here). */
    body?: unknown;
    /** Express route parameters of the matched admin route. */
    params?: Record<string, string>;
    /** The rack route the raw path names, before anyone is asked whether it may be called. */
    rackTarget?: ConvoxAuthorization;
    /** Set once the principal may call the rack route. */
    convoxRoute?: AuthorizedConvoxRoute;
    /** A body that replaces the client's stream (the re-encoded env form of a release). */
    rackBody?: Buffer;
    /**
     * A deploy step the principal's own permissions refuse but the deploy gate speaks for (a
     * `deploy_with_approval` token): set by the rack-route step, decided by the deploy-approval step.
     */
    deployStep?: DeployStep;
    /** The deploy approval that admitted the call (a source upload: the token's upload it is recorded as). */
    deployApproval?: { approvalId?: string; sourceUploadId?: string };
    rackBodyTap?: Transform;
    rackAnswerCheck?: RackAnswerCheck;
    /** A websocket's entry in LiveWebsockets, registered once its caller and route are known. */
    liveSession?: LiveSessionHandle;
    /** A websocket's audited session, opened by the audit-first step and closed when the bridge ends. */
    websocketSession?: AuditedWebsocketSession;
    /** The request id (pino-http's, or the upgrade's own), echoed in X-Request-Id. */
    id?: unknown;
  };

/** One request going through the chain. */
export interface AccessAttempt {
  req: ChainRequest;
  transport: 'http' | 'websocket';
  /** The client address (trusted-proxy aware), for rate limits and last-used records. */
  clientIp: string | undefined;
  /** The raw URL as sent (never decoded). */
  url: string;
  /** The admin route's declaration; absent on the rack proxy, whose routes are declared in the route table. */
  declaration?: RouteDeclaration;
}

/**
 * One link of the chain. `check` returns when the request may go on and throws an AccessRefusal (with its
 * decision code) to stop it; the chain records either outcome. Anything else it throws (a database outage)
 * propagates untouched and fails the request closed.
 */
export interface AccessStep {
  /** Names the step in the recorded decisions. */
  readonly name: string;
  check(attempt: AccessAttempt): Promise<void> | void;
}
