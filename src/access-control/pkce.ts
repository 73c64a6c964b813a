import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 S256: base64url(SHA-256(verifier)), no padding. */
export function codeChallengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A verifier as RFC 7636 allows it: 43-128 unreserved characters. */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
/** What S256 produces: exactly 43 base64url characters. */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether `verifier` hashes to `challenge`. Compared in constant time over equal-length buffers, so a
 * poller cannot learn the challenge byte by byte.
 */
export function verifierMatchesChallenge(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER_PATTERN.test(verifier) || !CODE_CHALLENGE_PATTERN.test(challenge)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(codeChallengeFor(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
