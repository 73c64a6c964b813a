/**
 * The people the mock Google login can sign in as. The first four match the gateway's roles; the rest exist
 * so the gateway's tests can prove it refuses them (unverified address, foreign Workspace domain, personal
 * account without a domain, a valid account nobody added to the gateway).
 */
export interface TestUser {
  /** Stable subject identifier, numeric like Google's. */
  sub: string;
  email: string;
  name: string;
  emailVerified: boolean;
  /** Google Workspace domain; Google sends `hd` only for Workspace accounts, so personal accounts have none. */
  hostedDomain?: string;
}

export const TEST_USERS: readonly TestUser[] = [
  user('100000000000000000001', 'admin@example.com', 'Admin User', 'example.com'),
  user('100000000000000000002', 'deployer@example.com', 'Deployer User', 'example.com'),
  user('100000000000000000003', 'ops@example.com', 'Ops User', 'example.com'),
  user('100000000000000000004', 'viewer@example.com', 'Viewer User', 'example.com'),
  {
    ...user('100000000000000000005', 'unverified@example.com', 'Unverified User', 'example.com'),
    emailVerified: false,
  },
  user('100000000000000000006', 'outsider@other.test', 'Outsider User', 'other.test'),
  user('100000000000000000007', 'personal@gmail.test', 'Personal User'),
  user('100000000000000000008', 'newcomer@example.com', 'Newcomer User', 'example.com'),
];

function user(sub: string, email: string, name: string, hostedDomain?: string): TestUser {
  return { sub, email, name, emailVerified: true, ...(hostedDomain ? { hostedDomain } : {}) };
}

/** Email addresses are matched without regard to case or surrounding spaces, as Google does at sign-in. */
export function findTestUserByEmail(email: string): TestUser | undefined {
  const wanted = email.trim().toLowerCase();
  return TEST_USERS.find((candidate) => candidate.email === wanted);
}

export function findTestUserBySub(sub: string): TestUser | undefined {
  return TEST_USERS.find((candidate) => candidate.sub === sub);
}

/** The claims Google puts in an ID token for this account; `hd` only for Workspace accounts. */
export function googleClaimsFor(testUser: TestUser): Record<string, string | boolean> {
  return {
    sub: testUser.sub,
    email: testUser.email,
    email_verified: testUser.emailVerified,
    name: testUser.name,
    ...(testUser.hostedDomain ? { hd: testUser.hostedDomain } : {}),
  };
}
