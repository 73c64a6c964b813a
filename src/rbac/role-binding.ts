/**
 * A role held by a user. Without `apps` it holds everywhere (every app and the gateway's own routes);
 * with `apps` it holds only on rack routes about one of those apps. Entries are app names or globs where
 * `*` stands for any run of characters (`web-*`).
 */
export interface RoleBinding {
  role: string;
  apps?: string[];
}

export interface ScopedRoleBinding {
  role: string;
  apps: string[];
}

/** An app name or glob: what Convox allows in app names, plus `*`. */
export const APP_PATTERN = /^[a-z0-9*][a-z0-9*-]{0,62}$/;

const compiled = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let regexp = compiled.get(glob);
  if (!regexp) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*');
    regexp = new RegExp(`^${body}$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, regexp);
  }
  return regexp;
}

/** Whether `app` is one of `patterns` (names or globs). */
export function appInScope(patterns: readonly string[], app: string): boolean {
  return patterns.some((pattern) => globRegExp(pattern).test(app));
}

/** How a binding is written in messages and reports: `deployer` or `deployer on web-*, api`. */
export function describeBinding(binding: RoleBinding): string {
  return binding.apps?.length ? `${binding.role} on ${binding.apps.join(', ')}` : binding.role;
}

/** A user's bindings, unscoped first, as the API shows them. */
export function bindingsOf(user: { roles: string[]; scopedRoles?: ScopedRoleBinding[] }): RoleBinding[] {
  return [
    ...user.roles.map((role) => ({ role })),
    ...(user.scopedRoles ?? []).map((b) => ({ role: b.role, apps: [...b.apps] })),
  ];
}
