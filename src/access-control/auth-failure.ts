import { AccessRefusal } from './access-refusal';

/** Why a presented credential was refused. Each becomes `{"error": reason, "message": text}` with a 401. */
export type AuthFailureReason =
  | 'authentication_required'
  | 'authorization_header_required'
  | 'unsupported_authorization'
  | 'malformed_authorization'
  | 'invalid_credentials'
  | 'session_expired'
  | 'session_revoked'
  | 'token_expired'
  | 'token_revoked'
  | 'user_locked';

const MESSAGES: Record<AuthFailureReason, string> = {
  authentication_required: 'log in first: send a session cookie or an Authorization header',
  authorization_header_required:
    'the rack proxy needs an Authorization header (Bearer or Basic convox:<token>); a cookie alone is not accepted here',
  unsupported_authorization: 'unsupported Authorization scheme: use Bearer or Basic',
  malformed_authorization: 'the Authorization header could not be read',
  invalid_credentials: 'the session or token is not valid',
  session_expired: 'your session has expired; log in again',
  session_revoked: 'your session was ended; log in again',
  token_expired: 'the API token has expired',
  token_revoked: 'the API token was revoked',
  user_locked: 'this account is locked; ask an administrator',
};

/**
 * A refused credential. Thrown by the authentication path; the global filter renders it. `accountId` is the
 * user the credential belonged to, when it was a real one (revoked, expired, locked owner): failures are
 * then also counted against that account.
 */
export class AuthFailure extends AccessRefusal {
  constructor(
    readonly reason: AuthFailureReason,
    readonly accountId?: string,
  ) {
    super('unauthenticated', { error: reason, message: MESSAGES[reason] }, { rule: reason });
  }
}
