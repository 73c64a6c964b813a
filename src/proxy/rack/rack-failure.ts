import { HttpException, HttpStatus } from '@nestjs/common';

/** The rack did not send response headers within RACK_TIMEOUT_MS. */
export class RackTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`rack timeout: no response within ${timeoutMs} ms`);
  }
}

/**
 * Why the rack's certificate was refused, in words an operator can act on. Keyed by the OpenSSL
 * verification code Node puts on the error (plus our own pin code). Fixed texts on purpose: Node's own
 * messages can name host names and addresses, which clients must not see.
 */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate is not trusted (add it to RACK_CA_FILE)',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate chain ends in an untrusted root (set RACK_CA_FILE)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer is not trusted (set RACK_CA_FILE to the CA that signed it)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer is not trusted (set RACK_CA_FILE to the CA that signed it)',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer is not trusted (set RACK_CA_FILE to the CA that signed it)',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate does not name RACK_URL's host",
  RACK_CERT_PIN_MISMATCH: 'fingerprint does not match RACK_TLS_PIN_SHA256',
};

const CERTIFICATE_CODE =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|ERR_TLS_CERT|RACK_CERT_PIN)/;

/**
 * A failure to reach the rack as the convox CLI should see it: `{"error":"…"}` with 502 (unreachable, TLS
 * refused) or 504 (no answer in time). The rack password or internal addresses never appear in the text.
 * TLS failures happen before any request byte is written, so the rack never receives the password.
 */
export function rackFailure(error: unknown): HttpException {
  if (error instanceof RackTimeoutError) {
    return new HttpException({ error: error.message }, HttpStatus.GATEWAY_TIMEOUT);
  }
  const code = codeOf(error);
  if (code && CERTIFICATE_CODE.test(code)) {
    const problem = CERTIFICATE_PROBLEMS[code] ?? code;
    return badGateway(`rack certificate verification failed: ${problem}`);
  }
  // Handshake failures other than verification: a plain-HTTP rack behind an https RACK_URL, no shared cipher …
  if (code?.startsWith('ERR_SSL_')) return badGateway(`rack TLS handshake failed: ${code}`);
  return badGateway(`rack unreachable: ${describe(error, code)}`);
}

function badGateway(error: string): HttpException {
  return new HttpException({ error }, HttpStatus.BAD_GATEWAY);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short reason: the system error code (ECONNREFUSED, ECONNRESET …) or the message's first line. */
function describe(error: unknown, code: string | undefined): string {
  if (code && /^E[A-Z]+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 200) || 'connection failed';
}
