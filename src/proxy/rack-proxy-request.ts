import type { Request } from 'express';
import type { Transform } from 'node:stream';
import type { Principal } from '../access-control/principal';
import type { AuthorizedConvoxRoute } from '../rbac/convox-authorizer.service';

/**
 * Something that must see the rack's answer before the client does: a deploy approval records what the
 * call made (build id, process id …) and may refuse to let an answer through whose recording failed.
 * `settle` gets the status and, for a 2xx, the parsed JSON body (undefined when it is not JSON); it throws
 * to fail the call. `abandon` is called when there will be no answer (the rack failed, the client left).
 */
export interface RackAnswerCheck {
  settle(status: number, body: unknown): Promise<void>;
  abandon(): Promise<void>;
}

/**
 * A proxied request as the access chain leaves it: who is calling, the rack route they may use, and, for a
 * release whose env was checked, the re-encoded body to send instead of the client's stream.
 */
export type ProxiedRequest = Request & {
  principal?: Principal;
  convoxRoute?: AuthorizedConvoxRoute;
  /** A body that replaces the client's stream (re-encoded env form). Absent: the client body is piped. */
  rackBody?: Buffer;
  /** A stream the client's body is piped through on its way to the rack (it passes every byte on). */
  rackBodyTap?: Transform;
  /** Set by the deploy gate: the rack's answer is recorded on the approval before the client sees it. */
  rackAnswerCheck?: RackAnswerCheck;
  /** Set by pino-http: the request id also echoed in `X-Request-Id`. */
  id?: unknown;
};
