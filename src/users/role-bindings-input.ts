import { HttpStatus } from '@nestjs/common';
import { apiError } from '../access-control/api-error';
import { APP_PATTERN, type RoleBinding, type ScopedRoleBinding } from '../rbac/role-binding';

export interface StoredBindings {
  /** Unscoped roles (the `roles` column). */
  roles: string[];
  scopedRoles: ScopedRoleBinding[];
}

const MAX_APPS_PER_BINDING = 50;

/**
 * Checks and normalises what an admin asked a user to hold: plain role names (the old form) or
 * bindings. Names are lower-cased and de-duplicated; a role bound both everywhere and to some apps is
 * simply held everywhere; `admin` cannot be scoped (the gateway's own routes belong to no app, so a
 * scoped admin would be a confusing half-admin and would confuse the last-admin rule).
 */
export function normalizeBindings(input: RoleBinding[], assignableRoles: readonly string[]): StoredBindings {
  const isAssignable = (role: string) => assignableRoles.includes(role);
  if (input.length === 0) {
    throw apiError(HttpStatus.BAD_REQUEST, 'roles_required', 'give the user at least one role');
  }
  const unscoped = new Set<string>();
  const scoped = new Map<string, Set<string>>();
  const invalid: string[] = [];
  for (const binding of input) {
    const role = binding.role.trim().toLowerCase();
    if (!isAssignable(role)) invalid.push(role);
    if (binding.apps === undefined) {
      unscoped.add(role);
      continue;
    }
    const apps = binding.apps.map((app) => app.trim().toLowerCase());
    if (apps.length === 0 || apps.length > MAX_APPS_PER_BINDING) {
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'invalid_binding',
        `role ${role}: apps must list 1 to ${MAX_APPS_PER_BINDING} app names or globs (omit apps for every app)`,
      );
    }
    const bad = apps.filter((app) => !APP_PATTERN.test(app));
    if (bad.length > 0) {
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'invalid_binding',
        `role ${role}: not an app name or glob: ${bad.join(', ')} (lower-case letters, digits, - and *)`,
      );
    }
    if (role === 'admin') {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid_binding', 'admin cannot be limited to apps');
    }
    const set = scoped.get(role) ?? new Set<string>();
    apps.forEach((app) => set.add(app));
    scoped.set(role, set);
  }
  if (invalid.length > 0) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'invalid_role',
      `invalid role: ${[...new Set(invalid)].join(', ')} (valid roles: ${assignableRoles.join(', ')}; cicd is for API tokens only)`,
    );
  }
  return {
    roles: [...unscoped].sort(),
    scopedRoles: [...scoped.entries()]
      .filter(([role]) => !unscoped.has(role))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([role, apps]) => ({ role, apps: [...apps].sort() })),
  };
}

/** The bindings a create/update body asks for: `bindings`, or the plain `roles` list; never both. */
export function requestedBindings(body: {
  roles?: string[];
  bindings?: RoleBinding[];
}): RoleBinding[] | undefined {
  if (body.roles !== undefined && body.bindings !== undefined) {
    throw apiError(HttpStatus.BAD_REQUEST, 'invalid_binding', 'give either roles or bindings, not both');
  }
  return body.bindings ?? body.roles?.map((role) => ({ role }));
}
