import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { isKnownPermission, type Permission } from '../rbac/permission-catalog';
import { APP_PATTERN } from '../rbac/role-binding';
import { AccessDirectory } from './access-directory';
import { applicableSources, type GrantSource } from './permission-sources';

export interface WhoCanAnswer {
  permission: string;
  app: string | null;
  users: { email: string; name: string; sources: GrantSource[] }[];
  tokens: { id: string; name: string; owner: string; sources: GrantSource[] }[];
}

export interface EffectivePermission {
  permission: Permission;
  sources: GrantSource[];
  /** The last allowed use in the audit trail by this user (their tokens included); null if never. */
  lastUsedAt: string | null;
}

export interface UserAccessAnswer {
  email: string;
  name: string;
  locked: boolean;
  bindings: { role: string; apps?: string[] }[];
  permissions: EffectivePermission[];
}

/** "Who can do X on app Y" and "what can this user do, and when did they last do it". */
@Injectable()
export class AccessService {
  constructor(
    private readonly directory: AccessDirectory,
    private readonly dataSource: DataSource,
  ) {}

  async whoCan(permission: string, app?: string): Promise<WhoCanAnswer> {
    if (!isKnownPermission(permission)) {
      throw apiError(HttpStatus.BAD_REQUEST, 'unknown_permission', `unknown permission: ${permission}`);
    }
    if (app !== undefined && (!APP_PATTERN.test(app) || app.includes('*'))) {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid_app', `not an app name: ${app}`);
    }
    // Locked users and their tokens can do nothing; they are not "who can".
    const users = (await this.directory.users()).filter((user) => !user.locked);
    const tokens = await this.directory.tokens(users);
    const holding = <T extends { permissions: Map<Permission, GrantSource[]> }>(items: T[]) =>
      items
        .map((item) => ({ item, sources: applicableSources(item.permissions.get(permission) ?? [], app) }))
        .filter(({ sources }) => sources.length > 0);
    return {
      permission,
      app: app ?? null,
      users: holding(users).map(({ item, sources }) => ({ email: item.email, name: item.name, sources })),
      tokens: holding(tokens).map(({ item, sources }) => ({
        id: item.id,
        name: item.name,
        owner: item.owner.email,
        sources,
      })),
    };
  }

  async userAccess(email: string): Promise<UserAccessAnswer> {
    const [user] = await this.directory.users(email.trim().toLowerCase());
    if (!user) throw apiError(HttpStatus.NOT_FOUND, 'user_not_found', `no user ${email}`);
    const held = [...user.permissions.keys()];
    const lastUse = await this.lastUse(user.email, held);
    return {
      email: user.email,
      name: user.name,
      locked: user.locked,
      bindings: user.bindings,
      permissions: [...user.permissions.entries()].map(([permission, sources]) => ({
        permission,
        sources,
        lastUsedAt: lastUse.get(permission)?.toISOString() ?? null,
      })),
    };
  }

  /**
   * The last allowed use of each permission by `email`, in one query on the (actor_email, action,
   * occurred_at) index: rack calls and admin calls are recorded with the permission as their action.
   */
  async lastUse(email: string, permissions: readonly string[]): Promise<Map<string, Date>> {
    if (permissions.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT action, max(occurred_at) AS last FROM audit_events
       WHERE actor_email = $1 AND action = ANY($2::text[]) AND decision = 'allow'
       GROUP BY action`,
      [email, permissions],
    )) as { action: string; last: Date }[];
    return new Map(rows.map((row) => [row.action, row.last]));
  }
}
