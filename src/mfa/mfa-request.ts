import type { IncomingHttpHeaders } from 'node:http';
import { readCookie } from '../access-control/credential-parser';
import { TRUSTED_DEVICE_COOKIE } from './trusted-devices.service';

export const MFA_CODE_HEADER = 'x-mfa-code';
/** A single-use passkey proof for this request (POST /api/v1/mfa/webauthn/action-proofs). */
export const MFA_PROOF_HEADER = 'x-mfa-proof';

/** Routes reachable before enrolment and before the login challenge: the MFA API, /me and logout. */
export function isMfaExemptPath(path: string): boolean {
  return (
    path === '/api/v1/me' ||
    path === '/api/v1/auth/logout' ||
    path === '/api/v1/mfa' ||
    path.startsWith('/api/v1/mfa/')
  );
}

/** The code a request carries: the X-MFA-Code header wins over one inline in the credential. */
export function mfaCodeOf(headers: IncomingHttpHeaders, inline: string | undefined): string | undefined {
  const header = headers[MFA_CODE_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || inline;
}

/** The passkey proof a request carries, if any. */
export function mfaProofOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[MFA_PROOF_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || undefined;
}

export function trustedDeviceTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const cookie = Array.isArray(headers.cookie) ? headers.cookie[0] : headers.cookie;
  return readCookie(cookie, TRUSTED_DEVICE_COOKIE);
}
