import { HttpException, HttpStatus } from '@nestjs/common';
import { RackCertificateMismatchError } from './rack-endpoint';

/** The rack did not send response headers within RACK_TIMEOUT_MS. */
export class RackTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`rack timeout: no response within ${timeoutMs} ms`);
  }
}

/**
 * A failure to reach the rack as the convox CLI should see it: `{"error":"…"}` with 502 (unreachable, TLS
 * refused) or 504 (no answer in time). The rack password or internal addresses never appear in the text.
 */
export function rackFailure(error: unknown): HttpException {
  if (error instanceof RackTimeoutError) {
    return new HttpException({ error: error.message }, HttpStatus.GATEWAY_TIMEOUT);
  }
  if (error instanceof RackCertificateMismatchError || isTlsVerificationError(error)) {
    return new HttpException({ error: 'rack certificate verification failed' }, HttpStatus.BAD_GATEWAY);
  }
  return new HttpException({ error: `rack unreachable: ${describe(error)}` }, HttpStatus.BAD_GATEWAY);
}

function isTlsVerificationError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|ERR_TLS_CERT|RACK_CERT_PIN)/.test(code)
  );
}

/** A short reason: the system error code (ECONNREFUSED, ECONNRESET …) or the message's first line. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 200) || 'connection failed';
}
