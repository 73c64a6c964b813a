import { hashSecret } from '../access-control/credential-secret';
import { API_TOKEN_PATTERN, generateApiToken, isApiTokenString } from './api-token-format';

describe('API token format', () => {
  it('is rgw_ plus 43 base64url characters, different every time', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a).toMatch(API_TOKEN_PATTERN);
    expect(a).toHaveLength(47);
    expect(a).not.toBe(b);
    expect(isApiTokenString(a)).toBe(true);
    expect(isApiTokenString('abc')).toBe(false);
  });

  it('is stored as a 64-character SHA-256 hex digest that does not contain the token', () => {
    const token = generateApiToken();
    const hash = hashSecret(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(4));
  });
});
