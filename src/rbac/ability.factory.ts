import { Injectable, Optional } from '@nestjs/common';
import { createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Principal, ScopedGrant } from '../access-control/principal';
import { isKnownPermission, type Permission } from './permission-catalog';
import { expandPatterns } from './permission-match';
import { appInScope, describeBinding, type ScopedRoleBinding } from './role-binding';
import { RoleDirectory } from './role-directory.service';
import { permissionsForRoles } from './roles';

/** CASL speaks (action, subject): `convox:env:set` becomes action `set` on subject `convox:env`. */
type PermissionAbility = MongoAbility<[string, string]>;

/** What guards and services ask: "may this principal do X?" with X a catalog permission. */
export interface PrincipalAbility {
  can(permission: string): boolean;
  /** The concrete permissions held, sorted (for `/me` and for bounding new tokens). */
  readonly permissions: readonly Permission[];
}

/** The answer for one permission on one app: allowed, or refused with the scoped bindings that missed. */
export type AppDecision = { allowed: true } | { allowed: false; scopedBindings: string[] };

/** What a user's bindings grant: everywhere, and per app scope. */
export interface UserGrants {
  permissions: string[];
  scopedGrants: ScopedGrant[];
}

function toRule(permission: Permission): { action: string; subject: string } {
  const cut = permission.lastIndexOf(':');
  return { subject: permission.slice(0, cut), action: permission.slice(cut + 1) };
}

@Injectable()
export class AbilityFactory {
  // Principals are built per request; caching by identity saves re-expanding patterns on every check.
  private readonly cache = new WeakMap<Principal, PrincipalAbility>();

  // Optional so the decision logic can be unit-tested without a database: built-in roles only then.
  constructor(@Optional() private readonly roles?: RoleDirectory) {}

  /** The patterns a set of role names grants, custom roles included. */
  rolePatterns(roles: Iterable<string>): string[] {
    if (!this.roles) return permissionsForRoles(roles);
    const collected = new Set<string>();
    for (const role of roles) this.roles.patternsOf(role).forEach((p) => collected.add(p));
    return [...collected].sort();
  }

  /** A user's grants from their bindings: unscoped roles everywhere, scoped ones on their apps only. */
  userGrants(user: { roles: string[]; scopedRoles?: ScopedRoleBinding[] }): UserGrants {
    return {
      permissions: this.rolePatterns(user.roles),
      scopedGrants: (user.scopedRoles ?? []).map((binding) => ({
        role: binding.role,
        apps: [...binding.apps],
        permissions: expandPatterns(this.rolePatterns([binding.role])),
      })),
    };
  }

  /** A token's grants: its own patterns, bounded by its owner's grants everywhere and per app scope. */
  tokenGrants(
    tokenPermissions: readonly string[],
    owner: { roles: string[]; scopedRoles?: ScopedRoleBinding[] },
  ): UserGrants {
    const ownerGrants = this.userGrants(owner);
    const tokenHolds = new Set<string>(expandPatterns(tokenPermissions));
    return {
      permissions: this.effectiveTokenPermissions(tokenPermissions, ownerGrants.permissions),
      scopedGrants: ownerGrants.scopedGrants
        .map((grant) => ({ ...grant, permissions: grant.permissions.filter((p) => tokenHolds.has(p)) }))
        .filter((grant) => grant.permissions.length > 0),
    };
  }

  /**
   * A user is judged by the permissions of their roles (already in `principal.permissions`). A token is
   * judged by its own permission list, and — even if the caller forgot to — bounded by what its owner's
   * roles grant right now, so a token can never exceed its owner.
   */
  forPrincipal(principal: Principal): PrincipalAbility {
    const cached = this.cache.get(principal);
    if (cached) return cached;
    const granted =
      principal.kind === 'token'
        ? this.effectiveTokenPermissions(principal.permissions, this.rolePatterns(principal.roles))
        : expandPatterns(principal.permissions);
    const ability = this.forPermissions(granted);
    this.cache.set(principal, ability);
    return ability;
  }

  /**
   * `permission` on a rack route about `app`: held everywhere, or through a scoped binding whose apps
   * include `app`. Without an app only unscoped grants count.
   */
  decideOnApp(principal: Principal, permission: Permission, app: string | undefined): AppDecision {
    if (this.forPrincipal(principal).can(permission)) return { allowed: true };
    const holding = (principal.scopedGrants ?? []).filter((grant) => grant.permissions.includes(permission));
    if (app !== undefined && holding.some((grant) => appInScope(grant.apps, app))) return { allowed: true };
    return { allowed: false, scopedBindings: holding.map(describeBinding) };
  }

  /**
   * The ability on one app: what the principal holds everywhere plus what its scoped bindings grant on
   * `app`. For permissions checked in code inside a rack route about an app (env and secret values).
   */
  forPrincipalOnApp(principal: Principal, app: string | undefined): PrincipalAbility {
    const everywhere = this.forPrincipal(principal);
    if (app === undefined || !principal.scopedGrants?.length) return everywhere;
    const onApp = principal.scopedGrants
      .filter((grant) => appInScope(grant.apps, app))
      .flatMap((grant) => grant.permissions);
    return onApp.length === 0 ? everywhere : this.forPermissions([...everywhere.permissions, ...onApp]);
  }

  /** An ability for a plain list of patterns (expanded against the catalog). */
  forPermissions(patterns: Iterable<string>): PrincipalAbility {
    const permissions = expandPatterns(patterns);
    const casl: PermissionAbility = createMongoAbility<[string, string]>(permissions.map(toRule));
    return {
      permissions,
      // Only catalog permissions can be asked about; a pattern or unknown string is never "held".
      can: (permission) => {
        if (!isKnownPermission(permission)) return false;
        const { action, subject } = toRule(permission);
        return casl.can(action, subject);
      },
    };
  }

  /**
   * What a token may actually do: its own patterns expanded, intersected with what its owner holds. The
   * tokens module uses this both when a token is created (to refuse or trim) and on every request.
   */
  effectiveTokenPermissions(
    tokenPermissions: Iterable<string>,
    ownerPermissions: Iterable<string>,
  ): Permission[] {
    const owner = new Set<string>(expandPatterns(ownerPermissions));
    return expandPatterns(tokenPermissions).filter((permission) => owner.has(permission));
  }
}
