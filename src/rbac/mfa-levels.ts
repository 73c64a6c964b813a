import { PERMISSION_CATALOG, type Permission } from './permission-catalog';

/**
 * How fresh a second factor must be for each permission, as data beside the roles (docs/RBAC.md prints it).
 * - `none`: reads; a session that completed its login MFA is enough.
 * - `step_up`: a verification within the step-up window (setting `mfa.step_up_window`, default 10 min).
 * - `always`: a verification carried by this very request; an API token can never perform these.
 * Read-only actions need no entry; every other permission must be listed (mfa-levels.spec.ts checks).
 */
export type MfaLevel = 'none' | 'step_up' | 'always';

export const READ_ACTIONS: ReadonlySet<string> = new Set(['read', 'list']);

export const MFA_LEVELS: Partial<Record<Permission, MfaLevel>> = {
  // Writes and anything that reveals or moves data out: a recent verification.
  'convox:app:create': 'step_up',
  'convox:app:update': 'step_up',
  'convox:app:restart': 'step_up',
  'convox:app:cancel': 'step_up',
  'convox:app:diagnose': 'none',
  'convox:build:create': 'step_up',
  'convox:build:update': 'step_up',
  'convox:build:export': 'step_up',
  'convox:release:create': 'step_up',
  'convox:release:promote': 'step_up',
  'convox:object:create': 'step_up',
  'convox:object:delete': 'step_up',
  'convox:env:set': 'step_up',
  'convox:secret:set': 'step_up',
  'convox:config:set': 'step_up',
  'convox:process:start': 'step_up',
  'convox:process:exec': 'step_up',
  'convox:process:terminate': 'step_up',
  'convox:file:write': 'step_up',
  'convox:file:delete': 'step_up',
  'convox:service:autoscale': 'step_up',
  'convox:budget:set': 'step_up',
  'convox:budget:clear': 'step_up',
  'convox:budget:reset': 'step_up',
  'convox:budget:simulate': 'step_up',
  'convox:budget:dismiss': 'step_up',
  'convox:resource:create': 'step_up',
  'convox:resource:update': 'step_up',
  'convox:resource:link': 'step_up',
  'convox:resource:export': 'step_up',
  'convox:resource:import': 'step_up',
  'convox:resource:console': 'step_up',
  'convox:cert:import': 'step_up',
  'convox:cert:generate': 'step_up',
  'convox:cert:renew': 'step_up',
  'convox:cert:delete': 'step_up',
  'convox:cert:attach': 'step_up',
  'convox:letsencrypt:update': 'step_up',
  'convox:registry:add': 'step_up',
  'convox:registry:remove': 'step_up',
  'convox:registry:proxy': 'step_up',
  'convox:instance:shell': 'step_up',
  'convox:instance:keyroll': 'step_up',
  'convox:instance:cleanup': 'step_up',
  'convox:rack:update': 'step_up',
  'convox:rack:jwt_rotate': 'step_up',
  'convox:event:create': 'step_up',
  'convox:proxy:connect': 'step_up',
  'convox:proxy:http': 'step_up',
  // Only a request: it grants nothing until someone else approves it, and CI tokens send it.
  'gateway:deploy_approval:create': 'none',
  // Held by tokens (never asked for MFA); the rack routes it unlocks carry their own levels.
  'convox:deploy:deploy_with_approval': 'step_up',
  'gateway:token:create': 'step_up',
  'gateway:token:revoke': 'step_up',
  'gateway:session:revoke': 'step_up',
  // Irreversible or power-granting: a verification on the request itself.
  'convox:app:delete': 'always',
  'convox:resource:delete': 'always',
  'convox:instance:terminate': 'always',
  'convox:rack:jwt': 'always',
  'gateway:user:create': 'always',
  'gateway:user:update': 'always',
  'gateway:user:delete': 'always',
  'gateway:user:lock': 'always',
  'gateway:settings:update': 'always',
  'gateway:role:create': 'always',
  'gateway:role:update': 'always',
  'gateway:role:delete': 'always',
  // Approve, reject and extend: a person proves presence on the very request.
  'gateway:deploy_approval:approve': 'always',
};

/** The level of a permission; a permission missing from the table is treated as step_up unless it is a read. */
export function mfaLevelFor(permission: string | null | undefined): MfaLevel {
  if (!permission) return 'none';
  const listed = MFA_LEVELS[permission as Permission];
  if (listed) return listed;
  return READ_ACTIONS.has(permission.split(':')[2] ?? '') ? 'none' : 'step_up';
}

/** Non-read permissions with no explicit level: must stay empty (a unit test says so). */
export function permissionsWithoutMfaLevel(): string[] {
  return PERMISSION_CATALOG.map((p) => p.name).filter(
    (name) => !READ_ACTIONS.has(name.split(':')[2]) && MFA_LEVELS[name] === undefined,
  );
}
