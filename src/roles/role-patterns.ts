import { HttpStatus } from '@nestjs/common';
import { apiError } from '../access-control/api-error';
import { isKnownPermission } from '../rbac/permission-catalog';
import { expandPatterns } from '../rbac/permission-match';

/**
 * A custom role's permission list, checked against the catalog: a concrete name must exist, a wildcard
 * must grant at least one permission (a pattern that matches nothing is almost always a typo that would
 * silently grant nothing). De-duplicated and sorted.
 */
export function validRolePatterns(patterns: string[]): string[] {
  const unique = [...new Set(patterns.map((p) => p.trim()))].sort();
  if (unique.length === 0) {
    throw apiError(HttpStatus.BAD_REQUEST, 'permissions_required', 'give the role at least one permission');
  }
  const unknown = unique.filter((p) => !p.includes('*') && !isKnownPermission(p));
  if (unknown.length > 0) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'unknown_permission',
      `unknown permission: ${unknown.join(', ')} (see GET /api/v1/roles or docs/RBAC.md for the catalog)`,
    );
  }
  const empty = unique.filter((p) => p.includes('*') && expandPatterns([p]).length === 0);
  if (empty.length > 0) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'pattern_matches_nothing',
      `pattern matches no permission in the catalog: ${empty.join(', ')}`,
    );
  }
  return unique;
}
