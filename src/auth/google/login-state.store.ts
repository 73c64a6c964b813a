import type { Repository } from 'typeorm';
import { generateSecret, hashSecret } from '../../access-control/credential-secret';
import { LoginStateEntity } from './login-state.entity';

/** What the login start hands the store and gets back at the callback. */
export interface LoginStateData {
  nonce: string;
  returnTo: string;
}

export const LOGIN_STATE_TTL_MS = 10 * 60 * 1000;

type StoreCallback = (error: Error | null, handle?: string) => void;
type VerifyCallback = (
  error: Error | null,
  verifier: string | false,
  info?: LoginStateData | { message: string },
) => void;

/**
 * passport-oauth2's state store, kept in PostgreSQL instead of a server session: the random `state` handle
 * maps to the PKCE verifier and the nonce. Verification deletes the row in the same statement that reads
 * it, so a state works exactly once; a replayed or forged one finds nothing.
 */
export class PgLoginStateStore {
  constructor(private readonly states: Repository<LoginStateEntity>) {}

  // passport-oauth2 picks the call shape by arity: (req, verifier, state, meta, callback).
  store(
    _req: unknown,
    verifier: string,
    state: LoginStateData,
    _meta: unknown,
    callback: StoreCallback,
  ): void {
    const handle = generateSecret();
    const now = Date.now();
    this.states
      .insert({
        stateHash: hashSecret(handle),
        codeVerifier: verifier,
        nonce: state.nonce,
        returnTo: state.returnTo,
        createdAt: new Date(now),
        expiresAt: new Date(now + LOGIN_STATE_TTL_MS),
      })
      .then(
        () => callback(null, handle),
        (error: Error) => callback(error),
      );
  }

  verify(_req: unknown, handle: unknown, _meta: unknown, callback: VerifyCallback): void {
    if (typeof handle !== 'string' || handle === '' || handle.length > 200) {
      callback(null, false, { message: 'invalid_state' });
      return;
    }
    // Read and delete in one statement: a second use of the same state finds nothing.
    this.states
      .query(
        'DELETE FROM oauth_login_states WHERE state_hash = $1 RETURNING code_verifier, nonce, return_to, expires_at',
        [hashSecret(handle)],
      )
      .then(
        (raw: unknown) => {
          const row = returnedRows(raw)[0];
          if (!row || new Date(row.expires_at as string | Date).getTime() <= Date.now()) {
            callback(null, false, { message: 'invalid_state' });
            return;
          }
          callback(null, String(row.code_verifier), {
            nonce: String(row.nonce),
            returnTo: String(row.return_to),
          });
        },
        (error: Error) => callback(error, false),
      );
  }
}

/** TypeORM's postgres driver answers a DELETE … RETURNING with `[rows, count]`; plain SELECTs with rows. */
function returnedRows(raw: unknown): Record<string, unknown>[] {
  if (Array.isArray(raw) && Array.isArray(raw[0])) return raw[0] as Record<string, unknown>[];
  return Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [];
}
