import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bindingsOf, type RoleBinding, type ScopedRoleBinding } from '../rbac/role-binding';
import { RoleDirectory } from '../rbac/role-directory.service';
import { sourcedPermissions, type SourcedPermissions, tokenSourcedPermissions } from './permission-sources';

export interface UserAccess {
  id: string;
  email: string;
  name: string;
  bindings: RoleBinding[];
  locked: boolean;
  lastLoginAt: Date | null;
  lastSeenAt: Date | null;
  permissions: SourcedPermissions;
}

export interface TokenAccess {
  id: string;
  name: string;
  owner: UserAccess;
  /** The token's own list as stored (before bounding by its owner). */
  granted: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  permissions: SourcedPermissions;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: string[];
  scoped_roles: ScopedRoleBinding[];
  locked_at: Date | null;
  last_seen_at: Date | null;
  last_login_at: Date | null;
}

interface TokenRow {
  id: string;
  name: string;
  owner_id: string;
  permissions: string[];
  expires_at: Date | null;
  last_used_at: Date | null;
}

/**
 * Every user and live token with what they may do and why, computed from the rows as they are now and
 * the current role definitions. Read by who-can, per-user access and the access review.
 */
@Injectable()
export class AccessDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roles: RoleDirectory,
  ) {}

  async users(email?: string): Promise<UserAccess[]> {
    const rows = (await this.dataSource.query(
      `SELECT u.id, u.email, u.name, u.roles, u.scoped_roles, u.locked_at, u.last_seen_at,
              (SELECT max(s.created_at) FROM user_sessions s WHERE s.user_id = u.id) AS last_login_at
       FROM users u WHERE ($1::text IS NULL OR u.email = $1) ORDER BY u.email`,
      [email ?? null],
    )) as UserRow[];
    return rows.map((row) => {
      const bindings = bindingsOf({ roles: row.roles, scopedRoles: row.scoped_roles });
      return {
        id: row.id,
        email: row.email,
        name: row.name,
        bindings,
        locked: row.locked_at !== null,
        lastLoginAt: row.last_login_at,
        lastSeenAt: row.last_seen_at,
        permissions: sourcedPermissions(bindings, (role) => this.roles.patternsOf(role)),
      };
    });
  }

  /** Tokens that still work (not revoked, not expired) of the given users. */
  async tokens(owners: readonly UserAccess[]): Promise<TokenAccess[]> {
    if (owners.length === 0) return [];
    const byId = new Map(owners.map((owner) => [owner.id, owner]));
    const rows = (await this.dataSource.query(
      `SELECT id, name, owner_id, permissions, expires_at, last_used_at FROM api_tokens
       WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND owner_id = ANY($1::uuid[])
       ORDER BY name, id`,
      [[...byId.keys()]],
    )) as TokenRow[];
    return rows.map((row) => {
      const owner = byId.get(row.owner_id) as UserAccess;
      return {
        id: row.id,
        name: row.name,
        owner,
        granted: row.permissions,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        permissions: tokenSourcedPermissions(row.permissions, owner.permissions),
      };
    });
  }
}
