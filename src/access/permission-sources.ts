import { CODE_CHECKED_PERMISSIONS } from '../rbac/code-checked-permissions';
import { CONVOX_ROUTES } from '../rbac/convox-routes';
import type { Permission } from '../rbac/permission-catalog';
import { expandPatterns } from '../rbac/permission-match';
import { appInScope, type RoleBinding } from '../rbac/role-binding';

/** What grants a permission: a role binding (everywhere, or on `apps` only). */
export interface GrantSource {
  role: string;
  apps?: string[];
}

/** Permissions some rack route about an app (`:app` in its path) needs: the only ones a scope can grant. */
const APP_SCOPED_PERMISSIONS: ReadonlySet<string | null> = new Set([
  ...CONVOX_ROUTES.filter((route) => route.pattern.includes('/:app')).map((route) => route.permission),
  // Checked in code on app routes (release bodies and answers of /apps/:app/…).
  ...Object.keys(CODE_CHECKED_PERMISSIONS).filter((permission) => permission.startsWith('convox:')),
]);

/** Every permission a set of bindings grants, each with the bindings that grant it. Sorted by permission. */
export type SourcedPermissions = Map<Permission, GrantSource[]>;

export function sourcedPermissions(
  bindings: readonly RoleBinding[],
  patternsOf: (role: string) => string[],
): SourcedPermissions {
  const sourced: SourcedPermissions = new Map();
  for (const binding of bindings) {
    const source: GrantSource = binding.apps?.length
      ? { role: binding.role, apps: binding.apps }
      : { role: binding.role };
    for (const permission of expandPatterns(patternsOf(binding.role))) {
      // A scoped binding grants nothing where no route about an app needs the permission.
      if (source.apps && !APP_SCOPED_PERMISSIONS.has(permission)) continue;
      sourced.set(permission, [...(sourced.get(permission) ?? []), source]);
    }
  }
  return new Map([...sourced.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A token's permissions: its own list, each held only where its owner holds it (the owner's sources,
 * scopes included). A token never exceeds its owner.
 */
export function tokenSourcedPermissions(
  tokenPermissions: readonly string[],
  owner: SourcedPermissions,
): SourcedPermissions {
  const sourced: SourcedPermissions = new Map();
  for (const permission of expandPatterns(tokenPermissions)) {
    const sources = owner.get(permission);
    if (sources) sourced.set(permission, sources);
  }
  return sourced;
}

/**
 * The sources that apply: with an app, unscoped ones and those whose apps include it; without one, all
 * of them (an auditor asking "who can set env anywhere" wants the scoped holders too, with their apps).
 */
export function applicableSources(sources: readonly GrantSource[], app?: string): GrantSource[] {
  if (app === undefined) return [...sources];
  return sources.filter((source) => !source.apps || appInScope(source.apps, app));
}

/** `deployer` or `deployer on web-*` — how a source is written in CSV cells and CLI output. */
export function sourceText(source: GrantSource): string {
  return source.apps ? `${source.role} on ${source.apps.join(' ')}` : source.role;
}
