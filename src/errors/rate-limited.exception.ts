import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 that says when to come back: the global filter turns `retryAfterSeconds` into the `Retry-After`
 * header, so clients and proxies can back off without parsing the message.
 */
export class RateLimitedException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message: string) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(
      { error: 'rate_limited', message: `${message}; try again in ${seconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.retryAfterSeconds = seconds;
  }
}
