import { findTestUserByEmail, googleClaimsFor, TEST_USERS } from './test-users';

describe('mock Google login test users', () => {
  it('finds a user by email regardless of case and surrounding spaces', () => {
    expect(findTestUserByEmail('  Admin@Example.COM ')?.name).toBe('Admin User');
    expect(findTestUserByEmail('nobody@example.com')).toBeUndefined();
  });

  it('gives every user a distinct subject and email', () => {
    expect(new Set(TEST_USERS.map((testUser) => testUser.sub)).size).toBe(TEST_USERS.length);
    expect(new Set(TEST_USERS.map((testUser) => testUser.email)).size).toBe(TEST_USERS.length);
  });

  it('sends hd only for Workspace accounts, like Google', () => {
    expect(googleClaimsFor(findTestUserByEmail('personal@gmail.test')!)).not.toHaveProperty('hd');
    expect(googleClaimsFor(findTestUserByEmail('outsider@other.test')!)).toMatchObject({ hd: 'other.test' });
    expect(googleClaimsFor(findTestUserByEmail('unverified@example.com')!)).toMatchObject({
      email_verified: false,
    });
  });
});
