import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuditRecorder } from '../../audit/audit-recorder';
import { RefusalAuditAggregator } from '../../audit/refusal-aggregator';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { RateLimitedException } from '../../access-control/rate-limited.exception';
import { AuthFailure, AuthFailureReason } from '../../access-control/auth-failure';
import { AuthRateLimiter } from '../auth-rate-limiter';
import { AddressBudget } from './address-budget';
import { CredentialMemory } from './credential-memory';
import { hasCredentialShape } from './credential-shape';

/** What the audit event of a refused credential says about it (never the secret). */
export interface PresentedKind {
  credential: 'api-token' | 'session';
  via: 'header' | 'cookie';
}

// Refusals that happen before any credential could be read.
const UNREAD: ReadonlySet<AuthFailureReason> = new Set<AuthFailureReason>([
  'authentication_required',
  'authorization_header_required',
  'unsupported_authorization',
  'malformed_authorization',
]);

const NOTHING_TO_RELEASE = (): void => undefined;

/**
 * An address already over its budget waits this long for its 429. A client retrying in a loop then sends one
 * request a second per connection instead of thousands, and the gateway's time goes to everyone else; a
 * well-behaved client would have waited for Retry-After anyway. Beyond MAX_HELD waiting answers, further ones
 * are sent at once, so the delay cannot be turned into a way to hold the gateway's memory.
 */
const SLOW_DOWN_MS = 1000;
const MAX_HELD = 1000;

/**
 * Decides what a request without a valid credential costs, before and instead of database work. Refusals
 * (no credential, an unreadable one, one that cannot be a credential, one already refused, one looked up
 * and not found) count against the client address's per-minute budget; over it, they get 429 with
 * `Retry-After` straight from memory. A credential the gateway has not refused before is still looked up,
 * so valid tokens and sessions keep working from an address that is flooding with bad ones; from a blocked
 * address such lookups run one at a time (a remembered-valid credential skips even that). The per-account
 * budget (AuthRateLimiter) still limits failures of a real account's stale credentials from anywhere.
 */
@Injectable()
export class CredentialGate {
  private readonly budget: AddressBudget;
  private readonly memory = new CredentialMemory();
  private held = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly limiter: AuthRateLimiter,
    private readonly refusals: RefusalAuditAggregator,
    private readonly audit: AuditRecorder,
  ) {
    this.budget = new AddressBudget(config.authRateLimit.perMinute);
  }

  /** The refusal a credential gets without a lookup: not shaped like one, or refused before. */
  knownRejection(secret: string, hash: string): AuthFailure | undefined {
    if (!hasCredentialShape(secret)) return new AuthFailure('invalid_credentials');
    const known = this.memory.rejectionOf(hash);
    return known ? new AuthFailure(known.reason, known.accountId) : undefined;
  }

  /**
   * Lets a lookup of `hash` run and returns what to call when it is over. From a blocked address only a
   * credential that was valid recently, or one lookup at a time, runs; the others get 429 unread.
   */
  async admitLookup(address: string, hash: string, request?: IncomingMessage): Promise<() => void> {
    const wait = this.budget.blockedFor(address);
    if (wait === 0 || this.memory.wasRecentlyValid(hash)) return NOTHING_TO_RELEASE;
    const release = this.budget.probe(address);
    if (release) return release;
    this.refusals.count({ clientIp: address, reason: 'credential_not_checked', status: 429, request });
    await this.slowDown();
    throw new RateLimitedException(wait, 'too many rejected credentials from this address');
  }

  rememberValid(hash: string): void {
    this.memory.rememberValid(hash);
  }

  rememberRejected(hash: string, failure: AuthFailure): void {
    this.memory.rememberRejected(hash, { reason: failure.reason, accountId: failure.accountId });
  }

  /**
   * Counts a refusal against the address (and the account, for a real account's credential), has it
   * audited — on its own if it is the first of its kind this minute, else summed up — and returns the
   * answer to throw: the AuthFailure (401), or 429 when over a budget.
   */
  async refuse(
    failure: AuthFailure,
    address: string,
    request: IncomingMessage | undefined,
    presented?: PresentedKind,
  ): Promise<HttpException> {
    const alreadyBlocked = this.budget.blockedFor(address) > 0;
    const addressWait = this.budget.refuse(address);
    let answer: HttpException =
      addressWait > 0 ? new RateLimitedException(addressWait, tooManyFromAddress(failure.reason)) : failure;
    if (failure.accountId) {
      try {
        await this.limiter.hit('credential-failure', [`account:${failure.accountId}`]);
      } catch (limited) {
        if (!(limited instanceof RateLimitedException)) throw limited;
        if (addressWait === 0) answer = limited;
      }
    }
    const first = this.refusals.count({
      clientIp: address,
      reason: failure.reason,
      status: answer.getStatus(),
      request,
    });
    // Refusals with no credential to speak of are recorded by the audit finisher, under the route's action.
    if (first && presented) {
      await this.audit.record({
        action: 'auth:token_rejected',
        decision: 'deny',
        rule: failure.reason,
        details: { ...presented },
        request,
      });
    }
    if (alreadyBlocked) await this.slowDown();
    return answer;
  }

  private async slowDown(): Promise<void> {
    if (this.held >= MAX_HELD) return;
    this.held += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, SLOW_DOWN_MS));
    } finally {
      this.held -= 1;
    }
  }
}

function tooManyFromAddress(reason: AuthFailureReason): string {
  return UNREAD.has(reason)
    ? 'too many requests without valid credentials from this address'
    : 'too many rejected credentials from this address';
}
