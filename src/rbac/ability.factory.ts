import { Injectable } from '@nestjs/common';
import { createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Principal } from '../auth/principal';
import { isKnownPermission, type Permission } from './permission-catalog';
import { expandPatterns } from './permission-match';
import { permissionsForRoles } from './roles';

/** CASL speaks (action, subject): `convox:env:set` becomes action `set` on subject `convox:env`. */
type PermissionAbility = MongoAbility<[string, string]>;

/** What guards and services ask: "may this principal do X?" with X a catalog permission. */
export interface PrincipalAbility {
  can(permission: string): boolean;
  /** The concrete permissions held, sorted (for `/me` and for bounding new tokens). */
  readonly permissions: readonly Permission[];
}

function toRule(permission: Permission): { action: string; subject: string } {
  const cut = permission.lastIndexOf(':');
  return { subject: permission.slice(0, cut), action: permission.slice(cut + 1) };
}

@Injectable()
export class AbilityFactory {
  // Principals are built per request; caching by identity saves re-expanding patterns on every check.
  private readonly cache = new WeakMap<Principal, PrincipalAbility>();

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
        ? this.effectiveTokenPermissions(principal.permissions, permissionsForRoles(principal.roles))
        : expandPatterns(principal.permissions);
    const ability = this.forPermissions(granted);
    this.cache.set(principal, ability);
    return ability;
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
