import type { RackProxyRequest } from '../rbac/rbac.guard';

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
  auditDetails?: Record<string, unknown> & Partial<EnvAuditDetails>;
  /** Set by pino-http: the request id also echoed in `X-Request-Id`. */
  id?: unknown;
};
