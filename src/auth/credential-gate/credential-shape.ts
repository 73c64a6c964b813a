import { API_TOKEN_PATTERN } from '../../tokens/api-token-format';

/** Session tokens are 32 random bytes in base64url without padding, like the secret part of an API token. */
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether `secret` could be a credential the gateway issued at all. Anything else is refused without a
 * database lookup: no row can match it.
 */
export function hasCredentialShape(secret: string): boolean {
  return API_TOKEN_PATTERN.test(secret) || SESSION_TOKEN_PATTERN.test(secret);
}
