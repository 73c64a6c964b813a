import type { PrincipalAbility } from '../rbac/ability.factory';
import type { Permission } from '../rbac/permission-catalog';

export interface Capabilities {
  users: { read: boolean; create: boolean; update: boolean; delete: boolean; lock: boolean };
  tokens: { createOwn: boolean; createForOthers: boolean; readAll: boolean; revokeAny: boolean };
  sessions: { readAll: boolean; revokeAny: boolean };
  audit: { read: boolean };
  settings: { read: boolean; update: boolean };
  rack: {
    read: boolean;
    listApps: boolean;
    readApps: boolean;
    listProcesses: boolean;
    listBuilds: boolean;
    listReleases: boolean;
    readEnv: boolean;
    readSecrets: boolean;
    scale: boolean;
    setEnv: boolean;
    promote: boolean;
  };
}

export interface NavigationEntry {
  id: string;
  label: string;
  path: string;
}

/**
 * The console's pages as data: a page is offered when the caller holds any of `anyOf` (an empty list means
 * every signed-in user). New features (approvals, settings, MFA) add a row here and a page in the UI; the
 * browser never decides from role names.
 */
const NAVIGATION: ReadonlyArray<NavigationEntry & { anyOf: readonly Permission[] }> = [
  { id: 'rack', label: 'Rack', path: '/rack', anyOf: ['convox:rack:read'] },
  { id: 'apps', label: 'Apps', path: '/apps', anyOf: ['convox:app:list'] },
  { id: 'approvals', label: 'Deploy approvals', path: '/approvals', anyOf: ['gateway:deploy_approval:read'] },
  { id: 'users', label: 'Users', path: '/users', anyOf: ['gateway:user:read'] },
  { id: 'roles', label: 'Roles', path: '/roles', anyOf: ['gateway:role:read'] },
  { id: 'access', label: 'Access', path: '/access', anyOf: ['gateway:access:read'] },
  { id: 'tokens', label: 'API tokens', path: '/tokens', anyOf: [] },
  { id: 'sessions', label: 'Sessions', path: '/sessions', anyOf: [] },
  { id: 'security', label: 'Account security', path: '/account/security', anyOf: [] },
  { id: 'audit', label: 'Audit', path: '/audit', anyOf: ['gateway:audit:read'] },
  { id: 'settings', label: 'Settings', path: '/settings', anyOf: ['gateway:settings:read'] },
];

export function capabilitiesOf(ability: PrincipalAbility): Capabilities {
  const can = (permission: Permission) => ability.can(permission);
  return {
    users: {
      read: can('gateway:user:read'),
      create: can('gateway:user:create'),
      update: can('gateway:user:update'),
      delete: can('gateway:user:delete'),
      lock: can('gateway:user:lock'),
    },
    tokens: {
      createOwn: true,
      createForOthers: can('gateway:token:create'),
      readAll: can('gateway:token:read'),
      revokeAny: can('gateway:token:revoke'),
    },
    sessions: { readAll: can('gateway:session:read'), revokeAny: can('gateway:session:revoke') },
    audit: { read: can('gateway:audit:read') },
    settings: { read: can('gateway:settings:read'), update: can('gateway:settings:update') },
    rack: {
      read: can('convox:rack:read'),
      listApps: can('convox:app:list'),
      readApps: can('convox:app:read'),
      listProcesses: can('convox:process:list'),
      listBuilds: can('convox:build:list'),
      listReleases: can('convox:release:list'),
      readEnv: can('convox:env:read'),
      readSecrets: can('convox:secret:read'),
      scale: can('convox:app:update'),
      // An env change is a new release: both are checked on the proxied POST.
      setEnv: can('convox:release:create') && can('convox:env:set'),
      promote: can('convox:release:promote'),
    },
  };
}

export function navigationFor(ability: PrincipalAbility): NavigationEntry[] {
  return NAVIGATION.filter(
    (entry) => entry.anyOf.length === 0 || entry.anyOf.some((p) => ability.can(p)),
  ).map(({ id, label, path }) => ({ id, label, path }));
}
