/**
 * What a row may do before its measured call, as the admin: make the user, token or session it acts on.
 * Those calls leave events of their own; the test looks only at the measured call's request id.
 */
export interface AdminSetup {
  /** An admin API call (path under /api/v1); fails the test unless it answers 2xx; returns the JSON body. */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  /** A browser login of `email`, leaving a session; returns that session's id. */
  loginSession(email: string): Promise<string>;
}

/** One state-changing admin call and the single audit event it must leave. */
export interface AdminChange {
  name: string;
  method: string;
  /** Prepares what the call needs (each row stands alone: it runs by itself with -t) and gives its path. */
  path: (setup: AdminSetup) => string | Promise<string>;
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

/** Creates a viewer for a row to act on, so no row depends on another; returns the user's API path. */
const newViewer = async (setup: AdminSetup, email: string): Promise<string> => {
  await setup.call('POST', '/users', { email, roles: ['viewer'] });
  return `/users/${email}`;
};

/** A cicd-preset token of the admin, for the deploy approval rows; returns its id. */
const newCiToken = async (setup: AdminSetup, name: string): Promise<string> =>
  ((await setup.call('POST', '/api-tokens', { name, role: 'cicd' })) as { id: string }).id;

/** A pending deploy approval request by the admin for a fresh cicd token; returns its API path. */
const newApprovalRequest = async (setup: AdminSetup, name: string, commitDigit: string): Promise<string> => {
  const targetTokenId = await newCiToken(setup, name);
  const created = (await setup.call('POST', '/deploy-approval-requests', {
    app: 'myapp',
    gitCommit: commitDigit.repeat(40),
    message: name,
    targetTokenId,
  })) as { id: string };
  return `/deploy-approval-requests/${created.id}`;
};

/** The admin both requests and decides in these rows: the four-eyes rule is switched off for them. */
const allowSelfApproval = (setup: AdminSetup) =>
  setup.call('PUT', '/settings/approvals.allow_self_approval', { value: true });

// The create row's body names a token its path made: read after the path (the runner awaits it first).
const approvalTarget = { id: '' };

/** Every admin change endpoint, for test/audit/audit-full-stack.e2e-spec.ts. */
export function adminChanges(): AdminChange[] {
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
      path: (setup) => newViewer(setup, 'updated@example.com'),
      body: { roles: ['ops'], name: 'Temp Worker' },
      status: 200,
      action: 'gateway:user:update',
      resource: ['email', 'updated@example.com'],
      before: { email: 'updated@example.com', name: '', roles: ['viewer'] },
      after: { email: 'updated@example.com', name: 'Temp Worker', roles: ['ops'] },
    },
    {
      name: 'lock a user',
      method: 'POST',
      path: async (setup) => `${await newViewer(setup, 'locked@example.com')}/lock`,
      body: { reason: 'left the team' },
      status: 200,
      action: 'gateway:user:lock',
      outcome: { reason: 'left the team', sessionsRevoked: 0 },
      before: { email: 'locked@example.com', locked: false, lockedReason: null },
      after: { locked: true, lockedReason: 'left the team', lockedBy: 'admin@example.com' },
    },
    {
      name: 'unlock a user',
      method: 'POST',
      path: async (setup) => {
        const user = await newViewer(setup, 'unlocked@example.com');
        await setup.call('POST', `${user}/lock`, { reason: 'left the team' });
        return `${user}/unlock`;
      },
      body: {},
      status: 200,
      action: 'gateway:user:lock',
      before: { locked: true, lockedReason: 'left the team' },
      after: { email: 'unlocked@example.com', locked: false, lockedReason: null, lockedBy: null },
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
      path: async (setup) => {
        const token = (await setup.call('POST', '/api-tokens', {
          name: 'ci-retired',
          permissions: ['convox:app:list'],
        })) as { id: string };
        return `/api-tokens/${token.id}`;
      },
      status: 200,
      action: 'gateway:token:revoke',
      outcome: { tokenName: 'ci-retired' },
      before: { tokenName: 'ci-retired', owner: 'admin@example.com', revokedAt: null },
      after: { tokenName: 'ci-retired', revokedAt: ANY_TIME, revokedBy: 'admin@example.com' },
    },
    {
      name: 'revoke a session',
      method: 'DELETE',
      path: async (setup) => `/sessions/${await setup.loginSession('deployer@example.com')}`,
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
      name: 'change a global setting',
      method: 'PUT',
      path: () => '/settings/audit.retention_days',
      body: { value: 365 },
      status: 200,
      action: 'gateway:settings:update',
      resource: ['setting', 'audit.retention_days'],
      before: { setting: 'audit.retention_days', value: 400, source: 'default' },
      after: { setting: 'audit.retention_days', value: 365, source: 'database' },
    },
    {
      name: 'remove a global setting',
      method: 'DELETE',
      path: () => '/settings/audit.retention_days',
      status: 200,
      action: 'gateway:settings:update',
      resource: ['setting', 'audit.retention_days'],
      before: { setting: 'audit.retention_days', value: 365, source: 'database' },
      after: { setting: 'audit.retention_days', value: 400, source: 'default' },
    },
    {
      name: 'change an app setting',
      method: 'PUT',
      path: () => '/apps/myapp/settings/deploy.approved_commands',
      body: { value: ['bin/migrate'] },
      status: 200,
      action: 'gateway:settings:update',
      resource: ['app', 'myapp'],
      before: { setting: 'deploy.approved_commands', app: 'myapp', value: [], source: 'default' },
      after: {
        setting: 'deploy.approved_commands',
        app: 'myapp',
        value: ['bin/migrate'],
        source: 'database',
      },
    },
    {
      name: 'remove an app setting',
      method: 'DELETE',
      path: () => '/apps/myapp/settings/deploy.approved_commands',
      status: 200,
      action: 'gateway:settings:update',
      resource: ['app', 'myapp'],
      before: {
        setting: 'deploy.approved_commands',
        app: 'myapp',
        value: ['bin/migrate'],
        source: 'database',
      },
      after: { setting: 'deploy.approved_commands', app: 'myapp', value: [], source: 'default' },
    },
    {
      name: 'create a custom role',
      method: 'POST',
      path: () => '/roles',
      body: { name: 'auditors', description: 'Read the trail', permissions: ['gateway:audit:read'] },
      status: 201,
      action: 'gateway:role:create',
      before: null,
      after: { name: 'auditors', description: 'Read the trail', permissions: ['gateway:audit:read'] },
    },
    {
      name: 'update a custom role',
      method: 'PATCH',
      path: async (setup) => {
        await setup.call('POST', '/roles', { name: 'reviewers', permissions: ['gateway:audit:read'] });
        return '/roles/reviewers';
      },
      body: { permissions: ['gateway:audit:read', 'gateway:access:read'] },
      status: 200,
      action: 'gateway:role:update',
      resource: ['role', 'reviewers'],
      before: { name: 'reviewers', permissions: ['gateway:audit:read'] },
      after: { name: 'reviewers', permissions: ['gateway:access:read', 'gateway:audit:read'] },
    },
    {
      name: 'delete a custom role',
      method: 'DELETE',
      path: async (setup) => {
        await setup.call('POST', '/roles', { name: 'leavers', permissions: ['gateway:access:read'] });
        return '/roles/leavers';
      },
      status: 204,
      action: 'gateway:role:delete',
      resource: ['role', 'leavers'],
      before: { name: 'leavers', permissions: ['gateway:access:read'] },
      after: null,
    },
    {
      name: 'request a deploy approval',
      method: 'POST',
      path: async (setup) => {
        approvalTarget.id = await newCiToken(setup, 'ci-requester');
        return '/deploy-approval-requests';
      },
      get body() {
        return {
          app: 'myapp',
          gitCommit: '1'.repeat(40),
          message: 'ship it',
          targetTokenId: approvalTarget.id,
        };
      },
      status: 201,
      action: 'gateway:deploy_approval:create',
      outcome: { created: true, status: 'pending', approvalRequestId: expect.any(String) as unknown },
      before: null,
      after: { status: 'pending', app: 'myapp', gitCommit: '1'.repeat(40) },
    },
    {
      name: 'approve a deploy request',
      method: 'POST',
      path: async (setup) => {
        await allowSelfApproval(setup);
        return `${await newApprovalRequest(setup, 'ci-approved', '2')}/approve`;
      },
      body: { notes: 'reviewed' },
      status: 200,
      action: 'gateway:deploy_approval:approve',
      outcome: { status: 'approved', approvalRequestId: expect.any(String) as unknown },
      before: { status: 'pending', approvedBy: null },
      after: { status: 'approved', approvedBy: 'admin@example.com' },
    },
    {
      name: 'reject a deploy request',
      method: 'POST',
      path: async (setup) => `${await newApprovalRequest(setup, 'ci-rejected', '3')}/reject`,
      body: { notes: 'not now' },
      status: 200,
      action: 'gateway:deploy_approval:reject',
      outcome: { status: 'rejected' },
      before: { status: 'pending', rejectedBy: null },
      after: { status: 'rejected', rejectedBy: 'admin@example.com' },
    },
    {
      name: 'extend a deploy approval',
      method: 'POST',
      path: async (setup) => {
        await allowSelfApproval(setup);
        const request = await newApprovalRequest(setup, 'ci-extended', '4');
        await setup.call('POST', `${request}/approve`, {});
        return `${request}/extend`;
      },
      body: {},
      status: 200,
      action: 'gateway:deploy_approval:extend',
      outcome: { status: 'approved' },
      before: { status: 'approved', approvedBy: 'admin@example.com' },
      after: { status: 'approved', approvedBy: 'admin@example.com' },
    },
    {
      name: 'cancel a deploy request',
      method: 'POST',
      path: async (setup) => `${await newApprovalRequest(setup, 'ci-cancelled', '5')}/cancel`,
      body: {},
      status: 200,
      action: 'gateway:deploy_approval:cancel',
      outcome: { status: 'cancelled' },
      before: { status: 'pending', cancelledBy: null },
      after: { status: 'cancelled', cancelledBy: 'admin@example.com' },
    },
    {
      name: 'delete a user',
      method: 'DELETE',
      path: (setup) => newViewer(setup, 'deleted@example.com'),
      status: 204,
      action: 'gateway:user:delete',
      before: { email: 'deleted@example.com', name: '', roles: ['viewer'], locked: false },
      after: null,
    },
  ];
}
