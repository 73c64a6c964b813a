import { generateSecret } from '../access-control/credential-secret';

export const API_TOKEN_PREFIX = 'rgw_';
/** `rgw_` + 32 random bytes in base64url without padding (43 characters). */
export const API_TOKEN_PATTERN = /^rgw_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(): string {
  return `${API_TOKEN_PREFIX}${generateSecret(32)}`;
}

/** API tokens and session tokens share the Authorization header; the prefix tells them apart. */
export function isApiTokenString(secret: string): boolean {
  return secret.startsWith(API_TOKEN_PREFIX);
}
