import { ALL_PERMISSIONS, type Permission } from './permission-catalog';

/**
 * Pattern semantics, one rule for users and tokens alike: a pattern grants a permission when both have
 * the same number of `:` segments and every pattern segment is `*` or equal to the permission's segment.
 * So `convox:app:*`, `convox:*:read` and `convox:*:*` work; a bare `*` has one segment and grants nothing.
 *
 * Deliberately NOT reproduced: in the original, the literal `convox:*:*` matched every permission of every
 * scope (gateway, auth, security too), which is how its admin got gateway powers. Here `convox:*:*` grants
 * `convox:` permissions only, and the admin role lists `gateway:*:*`, `auth:*:*` and `security:*:*` itself.
 */
export function patternGrants(pattern: string, permission: string): boolean {
  const wanted = pattern.split(':');
  const actual = permission.split(':');
  if (wanted.length !== actual.length) return false;
  // An empty segment is never a valid pattern (`convox::read`, trailing colon): grant nothing.
  if (wanted.some((segment) => segment === '')) return false;
  return wanted.every((segment, index) => segment === '*' || segment === actual[index]);
}

/**
 * The concrete catalog permissions a set of patterns grants, sorted. Unknown strings (misspelt, stale, or
 * `*`) grant nothing rather than failing, because stored token permission lists may outlive catalog changes.
 */
export function expandPatterns(patterns: Iterable<string>): Permission[] {
  const list = [...patterns];
  return ALL_PERMISSIONS.filter((permission) =>
    list.some((pattern) => patternGrants(pattern, permission)),
  ).sort();
}
