import { CredentialMemory } from './credential-memory';
import { hasCredentialShape } from './credential-shape';

describe('CredentialMemory', () => {
  let now = 0;
  const memory = new CredentialMemory(() => now);

  it('remembers permanent refusals with their account, but never a locked owner', () => {
    memory.rememberRejected('h1', { reason: 'token_revoked', accountId: 'u1' });
    memory.rememberRejected('h2', { reason: 'user_locked', accountId: 'u2' });
    expect(memory.rejectionOf('h1')).toEqual({ reason: 'token_revoked', accountId: 'u1' });
    expect(memory.rejectionOf('h2')).toBeUndefined();
  });

  it('forgets a valid credential once it is refused, and forgets everything after a while', () => {
    memory.rememberValid('h3');
    expect(memory.wasRecentlyValid('h3')).toBe(true);
    memory.rememberRejected('h3', { reason: 'session_revoked' });
    expect(memory.wasRecentlyValid('h3')).toBe(false);
    memory.rememberValid('h4');
    now += 16 * 60_000;
    expect(memory.wasRecentlyValid('h4')).toBe(false);
    expect(memory.rejectionOf('h1')).toBeUndefined();
  });
});

describe('hasCredentialShape', () => {
  it.each([
    ['rgw_' + 'a'.repeat(43), true],
    ['A'.repeat(43), true],
    ['rgw_' + 'a'.repeat(42), false],
    ['rgw_not-a-real-token', false],
    ['a'.repeat(43) + '=', false],
    ['', false],
  ])('%s → %s', (secret, expected) => {
    expect(hasCredentialShape(secret)).toBe(expected);
  });
});
