import type { Request } from 'express';
import type { Principal } from '../access-control/principal';
import type { AuthorizedConvoxRoute } from '../rbac/convox-authorizer.service';

/**
 * A proxied request as the access chain leaves it: who is calling, the rack route they may use, and, for a
 * release whose env was checked, the re-encoded body to send instead of the client's stream.
 */
export type ProxiedRequest = Request & {
  principal?: Principal;
  convoxRoute?: AuthorizedConvoxRoute;
  /** A body that replaces the client's stream (re-encoded env form). Absent: the client body is piped. */
  rackBody?: Buffer;
  /** Set by pino-http: the request id also echoed in `X-Request-Id`. */
  id?: unknown;
};
