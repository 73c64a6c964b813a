import type { CredentialSource } from './access-request';

export type { CredentialSource };

export interface PresentedCredential {
  secret: string;
  source: CredentialSource;
  /** An MFA code carried after the secret as `<secret>.totp.<code>` (the convox CLI can send nothing else). */
  mfaCode?: string;
}

/**
 * Splits `<secret>.totp.<code>` into the credential and the code. Session and API tokens are base64url, which
 * has no `.`, so anything after the first dot is the MFA suffix; a suffix of another shape is malformed.
 */
export function splitInlineMfa(credential: PresentedCredential): PresentedCredential {
  const dot = credential.secret.indexOf('.');
  if (dot < 0) return credential;
  const match = /^totp\.([A-Za-z0-9-]{6,16})$/.exec(credential.secret.slice(dot + 1));
  if (!match) throw new MalformedCredentialError('malformed_authorization');
  return { ...credential, secret: credential.secret.slice(0, dot), mfaCode: match[1] };
}

/** Why a credential could not even be read; becomes a 401 with this reason. */
export class MalformedCredentialError extends Error {
  constructor(readonly reason: 'unsupported_authorization' | 'malformed_authorization') {
    super(reason);
  }
}

export const SESSION_COOKIE = 'rgw_session';
export const CSRF_COOKIE = 'rgw_csrf';

/**
 * Reads `Authorization: Bearer <secret>` or `Authorization: Basic base64(<user>:<secret>)`. The Basic user
 * name is ignored (the convox CLI sends `convox`); the password is percent-decoded because RACK_URL carries
 * it as the userinfo part of a URL. Returns undefined when there is no Authorization header at all.
 */
export function parseAuthorizationHeader(header: string | undefined): PresentedCredential | undefined {
  if (header === undefined) return undefined;
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header);
  if (!match) throw new MalformedCredentialError('malformed_authorization');
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return { secret: match[2], source: 'header' };
  if (scheme !== 'basic') throw new MalformedCredentialError('unsupported_authorization');
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new MalformedCredentialError('malformed_authorization');
  let password: string;
  try {
    password = decodeURIComponent(decoded.slice(colon + 1));
  } catch {
    throw new MalformedCredentialError('malformed_authorization');
  }
  if (password === '') throw new MalformedCredentialError('malformed_authorization');
  return { secret: password, source: 'header' };
}

/**
 * Reads one cookie from a raw `Cookie` header. The websocket upgrade path has no cookie-parser, so the
 * single authentication path parses the header itself everywhere.
 */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
