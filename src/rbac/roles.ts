import type { Permission } from './permission-catalog';

/**
 * Role presets as data. `permissions` are exactly the original rack-gateway's (so its users feel at home);
 * `additions` are what we grant on top for routes the original did not cover, each with the reason that
 * docs/RBAC.md prints. A role inherits everything its parent holds. Admin's power is spelt out scope by
 * scope (see permission-match.ts for why `convox:*:*` alone no longer means "everything").
 */
export const ROLE_NAMES = ['viewer', 'ops', 'deployer', 'cicd', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RoleAddition {
  readonly permission: Permission;
  readonly reason: string;
}

export interface RoleDefinition {
  readonly name: RoleName;
  readonly label: string;
  readonly description: string;
  /** cicd is a preset for API tokens only; a human user can never be given it. */
  readonly humanAssignable: boolean;
  readonly inherits?: RoleName;
  /** Patterns (concrete permissions or wildcards) the original role held itself. */
  readonly permissions: readonly string[];
  readonly additions: readonly RoleAddition[];
}

const APPROVAL_REQUESTS: Permission[] = ['gateway:deploy_approval:create', 'gateway:deploy_approval:read'];

export const ROLES: Readonly<Record<RoleName, RoleDefinition>> = {
  viewer: {
    name: 'viewer',
    label: 'Viewer',
    description: 'Read-only access to apps, builds, processes, and rack status',
    humanAssignable: true,
    permissions: [
      'convox:app:list',
      'convox:app:read',
      'convox:process:list',
      'convox:process:read',
      'convox:instance:list',
      'convox:instance:read',
      'convox:log:read',
      'convox:build:list',
      'convox:build:read',
      'convox:rack:read',
    ],
    additions: [
      { permission: 'convox:app:diagnose', reason: 'pod states and recent logs, which viewers already see' },
      { permission: 'convox:balancer:list', reason: 'load balancer names and hosts carry no secrets' },
      { permission: 'convox:budget:read', reason: '`convox ps` reads the budget and warns without it' },
      { permission: 'convox:cert:list', reason: 'certificate metadata (domains, expiry) only, never keys' },
    ],
  },
  ops: {
    name: 'ops',
    label: 'Operations',
    description: 'Restart apps, manage processes, and view environments',
    humanAssignable: true,
    inherits: 'viewer',
    permissions: [
      'convox:app:restart',
      'convox:process:start',
      'convox:process:exec',
      'convox:process:terminate',
      'convox:release:list',
      'convox:env:read',
    ],
    additions: [
      {
        permission: 'convox:release:read',
        reason:
          '"view environments": `convox env` reads the newest release in detail; the list ops holds carries the same env and manifest, and secret values stay masked',
      },
      {
        permission: 'convox:resource:list',
        reason: 'resource URLs and parameters are shown with credentials masked, as env values are',
      },
      { permission: 'convox:resource:read', reason: 'as resource:list' },
      { permission: 'convox:config:list', reason: 'app configs are environment-like; ops holds env:read' },
      { permission: 'convox:config:read', reason: 'as config:list (`convox env` reads cli-env-mask)' },
      { permission: 'convox:file:read', reason: 'ops can exec, which reads any file anyway' },
    ],
  },
  deployer: {
    name: 'deployer',
    label: 'Deployer',
    description: 'Full deployment permissions including env updates',
    humanAssignable: true,
    inherits: 'ops',
    permissions: [
      'convox:app:restart',
      'convox:build:create',
      'convox:object:create',
      'convox:release:create',
      'convox:release:read',
      'convox:release:promote',
      'convox:env:read',
      'convox:env:set',
      'convox:app:update',
      ...APPROVAL_REQUESTS,
    ],
    additions: [
      { permission: 'convox:object:list', reason: 'deployers upload the objects they list' },
      { permission: 'convox:object:read', reason: 'deployers upload the objects they read back' },
      { permission: 'convox:build:export', reason: 'deployers create and import builds already' },
      {
        permission: 'convox:deploy:deploy_with_approval',
        reason:
          'lets a deployer own cicd-preset tokens (a token never exceeds its owner); no effect on people, who deploy directly',
      },
    ],
  },
  cicd: {
    name: 'cicd',
    label: 'CI/CD',
    description: 'Recommended scope for automation tokens (not assignable to human users)',
    humanAssignable: false,
    permissions: [
      'convox:app:list',
      'convox:app:read',
      'convox:process:list',
      'convox:process:read',
      ...APPROVAL_REQUESTS,
      'convox:deploy:deploy_with_approval',
      'convox:instance:list',
      'convox:instance:read',
      'convox:rack:read',
    ],
    additions: [],
  },
  admin: {
    name: 'admin',
    label: 'Admin',
    description: 'Complete access to all gateway operations',
    humanAssignable: true,
    permissions: ['convox:*:*', 'gateway:*:*', 'auth:*:*', 'security:*:*'],
    additions: [],
  },
};

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

/** Whether a human user may hold the role (cicd is for tokens only). Unknown names are never assignable. */
export function isHumanRole(value: string): boolean {
  return isRoleName(value) && ROLES[value].humanAssignable;
}

/** The patterns one role holds, its parents' included. `includeAdditions: false` gives the original's set. */
export function rolePermissions(role: RoleName, options: { includeAdditions?: boolean } = {}): string[] {
  const includeAdditions = options.includeAdditions ?? true;
  const collected = new Set<string>();
  for (let current: RoleDefinition | undefined = ROLES[role]; current;) {
    current.permissions.forEach((p) => collected.add(p));
    if (includeAdditions) current.additions.forEach((a) => collected.add(a.permission));
    current = current.inherits ? ROLES[current.inherits] : undefined;
  }
  return [...collected].sort();
}

/** The union of the roles' patterns; unknown role names contribute nothing. */
export function permissionsForRoles(roles: Iterable<string>): string[] {
  const collected = new Set<string>();
  for (const role of roles) {
    if (isRoleName(role)) rolePermissions(role).forEach((p) => collected.add(p));
  }
  return [...collected].sort();
}
