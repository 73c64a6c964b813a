import { AccessRefusal } from './access-refusal';

/**
 * A 429 that says when to come back: `retryAfterSeconds` becomes the `Retry-After` header on either
 * transport, so clients and proxies can back off without parsing the message.
 */
export class RateLimitedException extends AccessRefusal {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message: string) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(
      'rate-limited',
      { error: 'rate_limited', message: `${message}; try again in ${seconds} s` },
      { rule: 'rate_limited', headers: { 'Retry-After': String(seconds) } },
    );
    this.retryAfterSeconds = seconds;
  }
}
