import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const WINDOW_MS = 60_000;

/** The budgets, per minute. Polling is expected every couple of seconds, so it gets a larger one. */
export type RateBudget = 'login' | 'cli-poll' | 'credential-failure';

/**
 * Counts hits in @nestjs/throttler's storage under explicit keys (`<budget>:ip:<ip>`, `<budget>:account:<id>`),
 * so one limiter covers both per-IP and per-account limits. Going over a budget blocks that key for a
 * window and answers 429 with the reason.
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
    let refusal: HttpException | undefined;
    for (const key of keys) {
      const record = await this.storage.increment(`${budget}:${key}`, WINDOW_MS, limit, WINDOW_MS, budget);
      if (record.isBlocked) refusal ??= tooMany(budget, key, record.timeToBlockExpire);
    }
    if (refusal) throw refusal;
  }

  /** Throws 429 if a key is currently blocked, without counting a hit (checked before authenticating). */
  assertNotBlocked(budget: RateBudget, keys: string[]): void {
    if (!(this.storage instanceof ThrottlerStorageService)) return;
    for (const key of keys) {
      const record = this.storage.storage.get(`${budget}:${key}`);
      if (record?.isBlocked && record.blockExpiresAt > Date.now()) {
        throw tooMany(budget, key, Math.ceil((record.blockExpiresAt - Date.now()) / 1000));
      }
    }
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

function tooMany(budget: RateBudget, key: string, retryAfterSeconds: number): HttpException {
  const scope = SCOPES[key.slice(0, key.indexOf(':'))] ?? '';
  return new HttpException(
    {
      error: 'rate_limited',
      message: `${REASONS[budget]} ${scope}; try again in ${Math.max(1, retryAfterSeconds)} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
