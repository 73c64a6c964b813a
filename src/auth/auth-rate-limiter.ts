import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimitedException } from '../access-control/rate-limited.exception';

const WINDOW_MS = 60_000;

/** The budgets, per minute. Polling is expected every couple of seconds, so it gets a larger one. */
export type RateBudget = 'login' | 'cli-poll' | 'credential-failure';

/**
 * Counts hits in @nestjs/throttler's storage under explicit keys (`<budget>:ip:<ip>`, `<budget>:account:<id>`),
 * so one limiter covers both per-IP and per-account limits. Going over a budget blocks that key for a
 * window and answers 429 with the reason and `Retry-After`. Refused credentials per address are counted by
 * the credential gate instead (src/auth/credential-gate), which must decide without awaiting anything.
 */
@Injectable()
export class AuthRateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one hit on every key (so each budget sees every attempt); throws 429 if any is over budget. */
  async hit(budget: RateBudget, keys: string[]): Promise<void> {
    const limit = this.limitOf(budget);
    let refusal: RateLimitedException | undefined;
    for (const key of keys) {
      const record = await this.storage.increment(`${budget}:${key}`, WINDOW_MS, limit, WINDOW_MS, budget);
      if (record.isBlocked) refusal ??= tooMany(budget, key, record.timeToBlockExpire);
    }
    if (refusal) throw refusal;
  }

  private limitOf(budget: RateBudget): number {
    const perMinute = this.config.authRateLimit.perMinute;
    return budget === 'cli-poll' ? perMinute * 4 : perMinute;
  }
}

const REASONS: Record<RateBudget, string> = {
  login: 'too many login attempts',
  'cli-poll': 'too many CLI login polls',
  'credential-failure': 'too many rejected credentials',
};

// Keys are `<kind>:<value>`; the kind tells the caller which limit it hit.
const SCOPES: Record<string, string> = {
  ip: 'from this address',
  account: 'for this account',
  login: 'for this login',
};

function tooMany(budget: RateBudget, key: string, retryAfterSeconds: number): RateLimitedException {
  const scope = SCOPES[key.slice(0, key.indexOf(':'))] ?? '';
  return new RateLimitedException(retryAfterSeconds, `${REASONS[budget]} ${scope}`);
}
