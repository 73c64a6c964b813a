/** One state-changing admin call and the single audit event it must leave. */
export interface AdminChange {
  name: string;
  method: string;
  path: () => string | Promise<string>;
  body?: unknown;
  status: number;
  action: string;
  resource?: [string, string];
  /** What the service adds to the event's outcome. */
  outcome?: Record<string, unknown>;
  /**
   * The state of what the call changes, before it (the event's `details.before`) and after it (the
   * outcome's `after`); null where there is none (before a creation, after a deletion).
   */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const ANY_TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown;

/**
 * Every admin change endpoint, for test/audit/audit-full-stack.e2e-spec.ts. `createdToken` is the id the
 * "create a token" row got; `sessionIdOf` lists a user's sessions as the admin.
 */
export function adminChanges(
  createdToken: () => string,
  sessionIdOf: (email: string) => Promise<string>,
): AdminChange[] {
  // Run in order: a row may use what an earlier one made (a user, a token).
  return [
    {
      name: 'create a user',
      method: 'POST',
      path: () => '/users',
      body: { email: 'temp@example.com', roles: ['viewer'] },
      status: 201,
      action: 'gateway:user:create',
      before: null,
      after: { email: 'temp@example.com', name: '', roles: ['viewer'], locked: false },
    },
    {
      name: 'update a user',
      method: 'PATCH',
      path: () => '/users/temp@example.com',
      body: { roles: ['ops'], name: 'Temp Worker' },
      status: 200,
      action: 'gateway:user:update',
      resource: ['email', 'temp@example.com'],
      before: { email: 'temp@example.com', name: '', roles: ['viewer'] },
      after: { email: 'temp@example.com', name: 'Temp Worker', roles: ['ops'] },
    },
    {
      name: 'lock a user',
      method: 'POST',
      path: () => '/users/temp@example.com/lock',
      body: { reason: 'left the team' },
      status: 200,
      action: 'gateway:user:lock',
      outcome: { reason: 'left the team', sessionsRevoked: 0 },
      before: { email: 'temp@example.com', locked: false, lockedReason: null },
      after: { locked: true, lockedReason: 'left the team', lockedBy: 'admin@example.com' },
    },
    {
      name: 'unlock a user',
      method: 'POST',
      path: () => '/users/temp@example.com/unlock',
      body: {},
      status: 200,
      action: 'gateway:user:lock',
      before: { locked: true, lockedReason: 'left the team' },
      after: { email: 'temp@example.com', locked: false, lockedReason: null, lockedBy: null },
    },
    {
      name: 'create a token',
      method: 'POST',
      path: () => '/api-tokens',
      body: { name: 'ci-deploys', permissions: ['convox:app:list'] },
      status: 201,
      action: 'gateway:token:create',
      outcome: { tokenName: 'ci-deploys', owner: 'admin@example.com', permissions: ['convox:app:list'] },
      before: null,
      after: {
        tokenName: 'ci-deploys',
        owner: 'admin@example.com',
        permissions: ['convox:app:list'],
        revokedAt: null,
      },
    },
    {
      name: 'revoke a token',
      method: 'DELETE',
      path: () => `/api-tokens/${createdToken()}`,
      status: 200,
      action: 'gateway:token:revoke',
      outcome: { tokenName: 'ci-deploys' },
      before: { tokenName: 'ci-deploys', owner: 'admin@example.com', revokedAt: null },
      after: { tokenName: 'ci-deploys', revokedAt: ANY_TIME, revokedBy: 'admin@example.com' },
    },
    {
      name: 'revoke a session',
      method: 'DELETE',
      path: async () => `/sessions/${await sessionIdOf('deployer@example.com')}`,
      status: 200,
      action: 'gateway:session:revoke',
      outcome: { own: false },
      before: { owner: 'deployer@example.com', channel: 'web', revokedAt: null },
      after: { owner: 'deployer@example.com', revokedAt: ANY_TIME, revokedBy: 'admin@example.com' },
    },
    {
      name: 'revoke all sessions of a user',
      method: 'POST',
      path: () => '/users/ops@example.com/sessions/revoke',
      status: 200,
      action: 'gateway:session:revoke',
      resource: ['user', 'ops@example.com'],
      outcome: { all: true },
      before: { owner: 'ops@example.com', activeSessionIds: expect.any(Array) as unknown },
      after: { owner: 'ops@example.com', activeSessions: 0, activeSessionIds: [] },
    },
    {
      name: 'delete a user',
      method: 'DELETE',
      path: () => '/users/temp@example.com',
      status: 204,
      action: 'gateway:user:delete',
      before: { email: 'temp@example.com', name: 'Temp Worker', roles: ['ops'], locked: false },
      after: null,
    },
  ];
}
