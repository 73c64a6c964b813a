import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { apiError } from '../access-control/api-error';
import { NotificationBus } from '../database/notification-bus';
import { expandPatterns } from '../rbac/permission-match';
import {
  type CustomRole,
  RoleDirectory,
  ROLES_TOPIC,
  type RoleSummary,
} from '../rbac/role-directory.service';
import { isRoleName } from '../rbac/roles';
import { validRolePatterns } from './role-patterns';

export interface RoleHolder {
  id: string;
  email: string;
}

/** A role with the concrete permissions its patterns grant. */
export type RoleDetail = RoleSummary & { grants: string[] };

export function withGrants(role: RoleSummary): RoleDetail {
  return { ...role, grants: expandPatterns(role.permissions) };
}

/**
 * Creates, changes and deletes custom roles. Each write runs under one lock, is announced on the
 * notification bus in its transaction (every process re-reads the roles when it commits), is re-read here
 * before the call returns, and raises an access change for every holder so live websockets are re-checked.
 */
@Injectable()
export class CustomRolesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: NotificationBus,
    private readonly directory: RoleDirectory,
    private readonly accessChanges: AccessChangeSignal,
  ) {}

  list(): RoleDetail[] {
    return this.directory.list().map(withGrants);
  }

  get(name: string): RoleDetail {
    const role = this.directory.list().find((r) => r.name === name);
    if (!role) throw apiError(HttpStatus.NOT_FOUND, 'role_not_found', `no role ${name}`);
    return withGrants(role);
  }

  async create(input: { name: string; description?: string; permissions: string[] }, by: string) {
    if (isRoleName(input.name)) throw builtIn(input.name);
    const permissions = validRolePatterns(input.permissions);
    await this.write(by, async (manager) => {
      const [row] = (await manager.query('SELECT 1 FROM custom_roles WHERE name = $1', [
        input.name,
      ])) as unknown[];
      if (row) throw apiError(HttpStatus.CONFLICT, 'role_exists', `role ${input.name} already exists`);
      await manager.query(
        `INSERT INTO custom_roles (name, description, permissions, updated_by) VALUES ($1, $2, $3, $4)`,
        [input.name, input.description?.trim() ?? '', permissions, by],
      );
      return [];
    });
    return this.get(input.name);
  }

  async update(name: string, input: { description?: string; permissions?: string[] }, by: string) {
    if (isRoleName(name)) throw builtIn(name);
    const permissions = input.permissions && validRolePatterns(input.permissions);
    await this.write(by, async (manager) => {
      const current = await this.existing(manager, name);
      await manager.query(
        `UPDATE custom_roles SET description = $2, permissions = $3, updated_at = now(), updated_by = $4
         WHERE name = $1`,
        [name, input.description?.trim() ?? current.description, permissions ?? current.permissions, by],
      );
      return holdersOf(manager, name);
    });
    return this.get(name);
  }

  async delete(name: string, by: string): Promise<void> {
    if (isRoleName(name)) throw builtIn(name);
    await this.write(by, async (manager) => {
      await this.existing(manager, name);
      const holders = await holdersOf(manager, name);
      if (holders.length > 0) {
        throw apiError(
          HttpStatus.CONFLICT,
          'role_in_use',
          `role ${name} is still bound to: ${holders.map((h) => h.email).join(', ')} (change their roles first)`,
        );
      }
      await manager.query('DELETE FROM custom_roles WHERE name = $1', [name]);
      return [];
    });
  }

  private async existing(manager: EntityManager, name: string): Promise<CustomRole> {
    const role = (await RoleDirectory.read(manager)).get(name);
    if (!role) throw apiError(HttpStatus.NOT_FOUND, 'role_not_found', `no custom role ${name}`);
    return role;
  }

  private async write(by: string, change: (manager: EntityManager) => Promise<RoleHolder[]>): Promise<void> {
    const affected = await this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtextextended('custom_roles', 0))");
      const holders = await change(manager);
      await this.bus.publish(ROLES_TOPIC, 'changed', manager);
      return holders;
    });
    // Our own notification arrives too, but this caller's next request must not wait for it.
    await this.directory.reload();
    for (const holder of affected) {
      await this.accessChanges.raise({ kind: 'user_roles_changed', userId: holder.id, by });
    }
  }
}

/** Users bound to the role, everywhere or on some apps. */
export async function holdersOf(manager: EntityManager, role: string): Promise<RoleHolder[]> {
  return (await manager.query(
    `SELECT id, email FROM users
     WHERE $1 = ANY(roles) OR scoped_roles @> jsonb_build_array(jsonb_build_object('role', $1::text))
     ORDER BY email`,
    [role],
  )) as RoleHolder[];
}

function builtIn(name: string) {
  return apiError(HttpStatus.BAD_REQUEST, 'built_in_role', `role ${name} is built in and read-only`);
}
