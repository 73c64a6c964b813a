import { HttpStatus, Injectable } from '@nestjs/common';
import { AccessDirectory, type UserAccess } from '../access/access-directory';
import {
  sourcedPermissions,
  type SourcedPermissions,
  tokenSourcedPermissions,
} from '../access/permission-sources';
import { apiError } from '../access-control/api-error';
import { AdminRouteCatalog } from '../rbac/admin-routes';
import { CONVOX_ROUTES } from '../rbac/convox-routes';
import { expandPatterns } from '../rbac/permission-match';
import { appInScope, type RoleBinding } from '../rbac/role-binding';
import { RoleDirectory } from '../rbac/role-directory.service';
import { isRoleName } from '../rbac/roles';
import { normalizeBindings } from '../users/role-bindings-input';
import { validRolePatterns } from './role-patterns';

/** Where a permission holds: everywhere, on some apps, or not at all. */
export type Reach = 'everywhere' | string[] | null;

export interface PermissionChange {
  permission: string;
  before: Reach;
  after: Reach;
}

export interface PreviewAnswer {
  /** Each permission that changes for someone, with the routes it opens. */
  permissions: { permission: string; routes: string[] }[];
  principals: {
    kind: 'user' | 'token';
    email: string;
    tokenId?: string;
    tokenName?: string;
    gained: PermissionChange[];
    lost: PermissionChange[];
  }[];
}

export type ProposedChange =
  { role: string; permissions: string[] } | { user: string; bindings: RoleBinding[] };

function reachOf(sourced: SourcedPermissions, permission: string): Reach {
  const sources = sourced.get(permission as never);
  if (!sources?.length) return null;
  if (sources.some((source) => !source.apps)) return 'everywhere';
  return [...new Set(sources.flatMap((source) => source.apps ?? []))].sort();
}

/** Whether `after` holds less than `before` somewhere. */
function narrower(before: Reach, after: Reach): boolean {
  if (before === null || after === 'everywhere') return false;
  if (after === null || before === 'everywhere') return true;
  // A name or glob is covered when one of the other side's globs matches it as written (web-1 and web-*
  // are both covered by web-*; web-* is not covered by web-1).
  return before.some((app) => !appInScope(after, app));
}

/**
 * What a role or binding change would do, before it is saved: the users and tokens that gain or lose
 * each permission (and where), and the rack and gateway routes those permissions open.
 */
@Injectable()
export class RolePreviewService {
  constructor(
    private readonly access: AccessDirectory,
    private readonly roles: RoleDirectory,
    private readonly adminRoutes: AdminRouteCatalog,
  ) {}

  async preview(change: ProposedChange): Promise<PreviewAnswer> {
    const users = await this.access.users();
    const changed = new Set<string>();
    let patternsAfter = (role: string) => this.roles.patternsOf(role);
    let bindingsAfter = (user: UserAccess): RoleBinding[] => user.bindings;
    if ('role' in change) {
      if (isRoleName(change.role)) {
        throw apiError(
          HttpStatus.BAD_REQUEST,
          'built_in_role',
          `role ${change.role} is built in and read-only`,
        );
      }
      const proposed = validRolePatterns(change.permissions);
      // The role's own difference counts even while nobody holds it: its routes are what it would open.
      const before = new Set<string>(expandPatterns(this.roles.patternsOf(change.role)));
      const after = new Set<string>(expandPatterns(proposed));
      for (const p of before) if (!after.has(p)) changed.add(p);
      for (const p of after) if (!before.has(p)) changed.add(p);
      patternsAfter = (role) => (role === change.role ? proposed : this.roles.patternsOf(role));
    } else {
      const email = change.user.trim().toLowerCase();
      if (!users.some((user) => user.email === email)) {
        throw apiError(HttpStatus.NOT_FOUND, 'user_not_found', `no user ${email}`);
      }
      const stored = normalizeBindings(change.bindings, this.roles.humanAssignable());
      const proposed = [...stored.roles.map((role) => ({ role })), ...stored.scopedRoles];
      bindingsAfter = (user) => (user.email === email ? proposed : user.bindings);
    }

    const principals: PreviewAnswer['principals'] = [];
    const afterOf = new Map<string, SourcedPermissions>();
    for (const user of users) {
      const after = sourcedPermissions(bindingsAfter(user), patternsAfter);
      afterOf.set(user.id, after);
      const diff = this.diff(user.permissions, after, changed);
      if (diff) principals.push({ kind: 'user', email: user.email, ...diff });
    }
    for (const token of await this.access.tokens(users.filter((user) => !user.locked))) {
      const after = tokenSourcedPermissions(token.granted, afterOf.get(token.owner.id) ?? new Map());
      const diff = this.diff(token.permissions, after, changed);
      if (diff) {
        principals.push({
          kind: 'token',
          email: token.owner.email,
          tokenId: token.id,
          tokenName: token.name,
          ...diff,
        });
      }
    }
    return {
      permissions: [...changed]
        .sort()
        .map((permission) => ({ permission, routes: this.routesOf(permission) })),
      principals,
    };
  }

  private diff(before: SourcedPermissions, after: SourcedPermissions, changed: Set<string>) {
    const gained: PermissionChange[] = [];
    const lost: PermissionChange[] = [];
    for (const permission of new Set([...before.keys(), ...after.keys()])) {
      const change = { permission, before: reachOf(before, permission), after: reachOf(after, permission) };
      if (JSON.stringify(change.before) === JSON.stringify(change.after)) continue;
      changed.add(permission);
      if (narrower(change.before, change.after)) lost.push(change);
      if (narrower(change.after, change.before)) gained.push(change);
    }
    return gained.length || lost.length ? { gained, lost } : undefined;
  }

  /** `rack GET /apps/:app/env` and `gateway PATCH /api/v1/users/:email` style lines. */
  private routesOf(permission: string): string[] {
    return [
      ...CONVOX_ROUTES.filter((route) => route.permission === permission).map(
        (route) => `rack ${route.method} ${route.pattern}`,
      ),
      ...this.adminRoutes.needing(permission).map((route) => `gateway ${route.method} ${route.path}`),
    ];
  }
}
