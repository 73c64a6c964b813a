import { createHash, randomBytes } from 'node:crypto';

export interface CodeChallengePair {
  /** Stays on this machine until the poll: only its holder can claim the session. */
  verifier: string;
  /** base64url(SHA-256(verifier)), sent when the login starts. */
  challenge: string;
}

export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function createCodeChallenge(): CodeChallengePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: challengeFor(verifier) };
}
