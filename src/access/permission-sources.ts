import type { Permission } from '../rbac/permission-catalog';
import { expandPatterns } from '../rbac/permission-match';
import { appInScope, type RoleBinding } from '../rbac/role-binding';

/** What grants a permission: a role binding (everywhere, or on `apps` only). */
export interface GrantSource {
  role: string;
  apps?: string[];
}

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
