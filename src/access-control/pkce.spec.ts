import { createHash, randomBytes } from 'node:crypto';
import { codeChallengeFor, verifierMatchesChallenge } from './pkce';

describe('PKCE S256', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  it('derives the RFC 7636 challenge', () => {
    expect(codeChallengeFor(verifier)).toBe(challenge);
    // RFC 7636 appendix B example.
    expect(codeChallengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('accepts the matching verifier and refuses others', () => {
    expect(verifierMatchesChallenge(verifier, challenge)).toBe(true);
    expect(verifierMatchesChallenge(randomBytes(32).toString('base64url'), challenge)).toBe(false);
    expect(verifierMatchesChallenge('short', challenge)).toBe(false);
    expect(verifierMatchesChallenge(verifier, 'not-a-challenge')).toBe(false);
  });
});
