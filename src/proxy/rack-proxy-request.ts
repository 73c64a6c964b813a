import type { Transform } from 'node:stream';
import type { RackProxyRequest } from '../rbac/rbac.guard';

/**
 * Something that must see the rack's answer before the client does: a deploy approval records what the
 * call made (build id, process id …) and may refuse to let an answer through whose recording failed.
 * `settle` gets the status and, for a 2xx, the parsed JSON body; it throws to fail the call. `abandon`
 * is called when there will be no answer (the rack failed, the client left).
 */
export interface RackAnswerCheck {
  settle(status: number, body: unknown): Promise<void>;
  abandon(): Promise<void>;
}

/** Changed env keys (never values) of a release POST, for the audit event. */
export interface EnvAuditDetails {
  envAdded: string[];
  envChanged: string[];
  envRemoved: string[];
}

/**
 * A proxied request as it moves through the chain: RbacGuard sets `principal`/`convoxRoute`, the env
 * change guard may replace the body (`rackBody`) and adds `auditDetails` for the audit interceptor.
 */
export type ProxiedRequest = RackProxyRequest & {
  /** A body that replaces the client's stream (re-encoded env form). Absent: the client body is piped. */
  rackBody?: Buffer;
  /** A stream the client's body is piped through on its way to the rack (it must pass every byte on). */
  rackBodyTap?: Transform;
  rackAnswerCheck?: RackAnswerCheck;
  auditDetails?: Record<string, unknown> & Partial<EnvAuditDetails>;
  /** Set by pino-http: the request id also echoed in `X-Request-Id`. */
  id?: unknown;
};
