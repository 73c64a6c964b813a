import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { apiError } from '../access-control/api-error';
import type { UserEntity } from './user.entity';

/**
 * Every change that can take away an admin (delete, lock, demote) and the ADMIN_USERS bootstrap take this
 * transaction-scoped advisory lock first. Changes that could each leave "another admin" behind are
 * serialized, so two concurrent demotions of the last two admins cannot both pass the check.
 */
export const ADMIN_CHANGE_LOCK = 728443220;

export async function lockAdminChanges(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGE_LOCK]);
}

/** An admin who can act: holds the role and is not locked. */
export function isActiveAdmin(user: Pick<UserEntity, 'roles' | 'lockedAt'>): boolean {
  return user.roles.includes('admin') && user.lockedAt === null;
}

export async function countActiveAdmins(manager: EntityManager, exceptId?: string): Promise<number> {
  const [row] = (await manager.query(
    `SELECT count(*)::int AS n FROM users
     WHERE 'admin' = ANY(roles) AND locked_at IS NULL AND ($1::uuid IS NULL OR id <> $1::uuid)`,
    [exceptId ?? null],
  )) as { n: number }[];
  return row.n;
}

/**
 * Refuses (409 `last_admin`) a change after which no active admin would be left: nobody could then manage
 * users, and ADMIN_USERS deliberately does not resurrect admins into a database that had one.
 * Call inside a transaction that holds lockAdminChanges.
 */
export async function assertAnotherAdminRemains(
  manager: EntityManager,
  user: UserEntity,
  change: 'delete' | 'lock' | 'demote',
): Promise<void> {
  if (!isActiveAdmin(user)) return;
  if ((await countActiveAdmins(manager, user.id)) > 0) return;
  throw apiError(
    HttpStatus.CONFLICT,
    'last_admin',
    `cannot ${change} ${user.email}: it is the last active admin; make another user admin first`,
  );
}
