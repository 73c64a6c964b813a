import { jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Why a login was refused after the provider answered; recorded as the audit rule and shown as a page. */
export type LoginRefusal =
  | 'invalid_id_token'
  | 'nonce_mismatch'
  | 'email_unverified'
  | 'wrong_domain'
  | 'unknown_user'
  | 'user_locked'
  | 'invalid_state'
  | 'provider_error';

export class LoginRefused extends Error {
  constructor(
    readonly reason: LoginRefusal,
    readonly email?: string,
  ) {
    super(reason);
  }
}

export interface VerifiedIdentity {
  email: string;
  name: string;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  jwks: JWTVerifyGetKey;
  /** When set, both the `hd` claim and the email's domain must equal it (case-insensitive). */
  allowedDomain?: string;
}

/**
 * Verifies the ID token from the token response: signature against the issuer's JWKS, `iss`, `aud`, `exp`
 * (jose), then the one-time `nonce`, `email_verified`, and the Workspace domain. The original read these
 * claims but checked none of them beyond the email suffix.
 */
export async function verifyIdToken(
  idToken: unknown,
  expected: IdTokenExpectations,
): Promise<VerifiedIdentity> {
  if (typeof idToken !== 'string' || idToken === '') throw new LoginRefused('invalid_id_token');
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(idToken, expected.jwks, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ['RS256', 'ES256', 'PS256'],
      clockTolerance: 30,
    }));
  } catch {
    throw new LoginRefused('invalid_id_token');
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (claims.nonce !== expected.nonce) throw new LoginRefused('nonce_mismatch', email || undefined);
  if (!email) throw new LoginRefused('invalid_id_token');
  if (claims.email_verified !== true) throw new LoginRefused('email_unverified', email);
  if (expected.allowedDomain) {
    const domain = expected.allowedDomain.toLowerCase();
    const hd = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined;
    if (hd !== domain || email.slice(email.lastIndexOf('@') + 1) !== domain) {
      throw new LoginRefused('wrong_domain', email);
    }
  }
  return { email, name: typeof claims.name === 'string' ? claims.name : '' };
}
