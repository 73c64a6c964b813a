import { createHash } from 'node:crypto';
import { challengeFor, createCodeChallenge } from './code-challenge';

describe('code challenge', () => {
  it('matches the RFC 7636 S256 example', () => {
    expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates a fresh 32-byte base64url verifier each time, with its SHA-256 as the challenge', () => {
    const first = createCodeChallenge();
    const second = createCodeChallenge();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first.challenge).toBe(createHash('sha256').update(first.verifier).digest('base64url'));
  });
});
