import type { AuthFailureReason } from '../../access-control/auth-failure';

/** A credential this process saw refused, and why (the account too, for the per-account limit). */
export interface KnownRejection {
  reason: AuthFailureReason;
  accountId?: string;
}

// Refusals that stay true forever: tokens and sessions are random, so an unknown one never becomes valid,
// and revoked or expired ones never come back. A locked owner can be unlocked, so that is never remembered.
const PERMANENT: ReadonlySet<AuthFailureReason> = new Set<AuthFailureReason>([
  'invalid_credentials',
  'session_expired',
  'session_revoked',
  'token_expired',
  'token_revoked',
]);

const REJECTED_LIMIT = 50_000;
const VALID_LIMIT = 20_000;
const REJECTED_TTL_MS = 15 * 60_000;
const VALID_TTL_MS = 15 * 60_000;

/**
 * What this process learned about credentials, keyed by their SHA-256 (never the secret). Refused ones are
 * answered again without a database lookup; recently valid ones may still be looked up from a blocked
 * address. Neither decides on its own that a credential is valid: a remembered-valid credential is still
 * looked up (so a revocation applies at once), it only skips the per-address throttle. Both are bounded
 * and forget their oldest entries first.
 */
export class CredentialMemory {
  private readonly rejected = new Map<string, KnownRejection & { until: number }>();
  private readonly valid = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  rejectionOf(hash: string): KnownRejection | undefined {
    const entry = this.rejected.get(hash);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.rejected.delete(hash);
      return undefined;
    }
    return { reason: entry.reason, accountId: entry.accountId };
  }

  rememberRejected(hash: string, rejection: KnownRejection): void {
    this.valid.delete(hash);
    if (!PERMANENT.has(rejection.reason)) return;
    remember(this.rejected, hash, { ...rejection, until: this.now() + REJECTED_TTL_MS }, REJECTED_LIMIT);
  }

  wasRecentlyValid(hash: string): boolean {
    const until = this.valid.get(hash);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.valid.delete(hash);
    return false;
  }

  rememberValid(hash: string): void {
    remember(this.valid, hash, this.now() + VALID_TTL_MS, VALID_LIMIT);
  }
}

/** Insert as newest (Map keeps insertion order); drop the oldest beyond `limit`. */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
}
