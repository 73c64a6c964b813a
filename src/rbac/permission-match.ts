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

const KNOWN = new Set<string>(ALL_PERMISSIONS);
const EXPANSION_CACHE_LIMIT = 1000;
const expansionCache = new Map<string, readonly Permission[]>();

/**
 * The concrete catalog permissions a set of patterns grants, sorted. Unknown strings (misspelt, stale, or
 * `*`) grant nothing rather than failing, because stored token permission lists may outlive catalog changes.
 *
 * This runs on every authenticated request (principal, ability, token bound), so results are memoised by
 * the pattern list — principals share a handful of distinct lists — and only wildcard patterns are
 * matched against the whole catalog.
 */
export function expandPatterns(patterns: Iterable<string>): Permission[] {
  const list = [...patterns];
  const key = list.join('\n');
  const cached = expansionCache.get(key);
  if (cached) return [...cached];
  const granted = new Set<Permission>();
  for (const pattern of list) {
    if (!pattern.includes('*')) {
      if (KNOWN.has(pattern)) granted.add(pattern as Permission);
      continue;
    }
    for (const permission of ALL_PERMISSIONS) if (patternGrants(pattern, permission)) granted.add(permission);
  }
  const expanded = [...granted].sort();
  if (expansionCache.size >= EXPANSION_CACHE_LIMIT) expansionCache.clear();
  expansionCache.set(key, expanded);
  return [...expanded];
}
