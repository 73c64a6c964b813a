import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url without padding (43 characters): the secret part of every credential. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Credentials are stored only as their SHA-256 (hex). The secrets carry 256 bits of entropy, so an unsalted
 * fast hash is enough, and it lets a lookup go straight to a unique index: no comparison loop, no timing oracle.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
