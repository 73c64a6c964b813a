import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { AccessCache } from '../access-events/access-cache';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { CredentialCaches } from '../access-events/credential-caches';
import { apiError } from '../access-control/api-error';
import { bindingsOf, type RoleBinding } from '../rbac/role-binding';
import { RoleDirectory } from '../rbac/role-directory.service';
import { isHumanRole } from '../rbac/roles';
import { normalizeBindings, requestedBindings, type StoredBindings } from './role-bindings-input';
import { assertAnotherAdminRemains, lockAdminChanges } from './last-admin-rule';
import { UserEntity } from './user.entity';

export interface UserFilter {
  role?: string;
  /** Substring of email or name, case-insensitive. */
  q?: string;
  locked?: boolean;
}

export interface NewUser {
  email: string;
  name?: string;
  roles?: string[];
  bindings?: RoleBinding[];
}

const LAST_SEEN_INTERVAL_MS = 60_000;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Users and their roles. No self-registration: every row is created by an admin, an operator or bootstrap. */
@Injectable()
export class UsersService {
  /** Users behind live credentials, dropped when a lock, delete or role change is heard (from any process). */
  private readonly cache: AccessCache<UserEntity>;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly accessChanges: AccessChangeSignal,
    private readonly roleDirectory: RoleDirectory,
    caches: CredentialCaches,
  ) {
    this.cache = caches.create<UserEntity>();
  }

  /** What `input` asks the user to hold, checked against the roles that exist now (custom ones too). */
  private bindingsFor(input: { roles?: string[]; bindings?: RoleBinding[] }): StoredBindings | undefined {
    const requested = requestedBindings(input);
    return requested && normalizeBindings(requested, this.roleDirectory.humanAssignable());
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { email: normalizeEmail(email) } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  /**
   * The user behind a credential, for the authentication path: from memory while cached and not locked;
   * otherwise read from the database (a lock is only ever decided on the row as it is now, so an unlock
   * made in another process counts at once).
   */
  async findForAuthentication(id: string): Promise<UserEntity | null> {
    const cached = this.cache.peek(id);
    if (cached && !cached.lockedAt) return cached;
    const fill = this.cache.beginFill();
    const user = await this.findById(id);
    if (user && !user.lockedAt) this.cache.store(fill, id, user, { userId: id });
    return user;
  }

  async getByEmail(email: string): Promise<UserEntity> {
    const user = await this.findByEmail(email);
    if (!user) throw apiError(HttpStatus.NOT_FOUND, 'user_not_found', `no user ${normalizeEmail(email)}`);
    return user;
  }

  list(filter: UserFilter): Promise<UserEntity[]> {
    const query = this.users.createQueryBuilder('u').orderBy('u.email', 'ASC');
    if (filter.role) {
      // Scoped holders count too: "who holds deployer" includes those holding it on some apps.
      query.andWhere(
        `(:role = ANY(u.roles) OR u.scoped_roles @> jsonb_build_array(jsonb_build_object('role', :role::text)))`,
        { role: filter.role },
      );
    }
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere('(u.email LIKE :pattern OR lower(u.name) LIKE :pattern)', { pattern });
    }
    if (filter.locked !== undefined) {
      query.andWhere(filter.locked ? 'u.locked_at IS NOT NULL' : 'u.locked_at IS NULL');
    }
    return query.getMany();
  }

  async create(input: NewUser): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    const bindings = this.bindingsFor(input) ?? normalizeBindings([], []);
    if (await this.findByEmail(email)) {
      throw apiError(HttpStatus.CONFLICT, 'user_exists', `user ${email} already exists`);
    }
    const user = this.users.create({ email, name: input.name?.trim() ?? '', ...bindings, lockedAt: null });
    return this.users.save(user);
  }

  /**
   * Inserts the user unless a row with that email exists. Bootstrap uses it (inside its own transaction
   * when given `manager`), so edits made later through the API (roles, name, lock) survive every restart.
   */
  async createIfAbsent(email: string, role: string, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.users.manager)
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({ email: normalizeEmail(email), name: '', roles: validRoles([role]) })
      .orIgnore()
      .execute();
    // RETURNING yields a row only when one was inserted.
    return (result.raw as unknown[]).length > 0;
  }

  /**
   * `by` is the actor's email (null: the system). Access changes are raised after the change commits, so
   * whoever re-checks live sessions sees the new state.
   */
  async update(
    email: string,
    changes: { name?: string; roles?: string[]; bindings?: RoleBinding[] },
    by: string | null = null,
  ): Promise<UserEntity> {
    const bindings = this.bindingsFor(changes);
    if (bindings === undefined) {
      const user = await this.getByEmail(email);
      if (changes.name !== undefined) user.name = changes.name.trim();
      return this.users.save(user);
    }
    let bindingsBefore = '';
    const saved = await this.changeAdminSafely(email, async (manager, user) => {
      if (!bindings.roles.includes('admin')) await assertAnotherAdminRemains(manager, user, 'demote');
      bindingsBefore = JSON.stringify(bindingsOf(user));
      user.roles = bindings.roles;
      user.scopedRoles = bindings.scopedRoles;
      if (changes.name !== undefined) user.name = changes.name.trim();
      return manager.save(user);
    });
    if (JSON.stringify(bindingsOf(saved)) !== bindingsBefore) {
      await this.accessChanges.raise({ kind: 'user_roles_changed', userId: saved.id, by });
    }
    return saved;
  }

  /** `alongside` runs in the locking transaction (work that must commit with the lock, e.g. its notice). */
  async lock(
    email: string,
    reason: string,
    by: string,
    alongside?: (manager: EntityManager, user: UserEntity) => Promise<void>,
  ): Promise<UserEntity> {
    const saved = await this.changeAdminSafely(email, async (manager, user) => {
      await assertAnotherAdminRemains(manager, user, 'lock');
      user.lockedAt = new Date();
      user.lockedReason = reason;
      user.lockedBy = by;
      const locked = await manager.save(user);
      await alongside?.(manager, locked);
      return locked;
    });
    await this.accessChanges.raise({ kind: 'user_locked', userId: saved.id, by });
    return saved;
  }

  async unlock(email: string): Promise<UserEntity> {
    const user = await this.getByEmail(email);
    user.lockedAt = null;
    user.lockedReason = null;
    user.lockedBy = null;
    return this.users.save(user);
  }

  /** Deleting cascades to the user's sessions and tokens, which therefore stop working at once. */
  async delete(email: string, by: string | null = null): Promise<void> {
    const userId = await this.changeAdminSafely(email, async (manager, user) => {
      await assertAnotherAdminRemains(manager, user, 'delete');
      await manager.delete(UserEntity, user.id);
      return user.id;
    });
    await this.accessChanges.raise({ kind: 'user_deleted', userId, by });
  }

  /**
   * Runs a change that may take an admin away in one transaction under the admin-change lock, on the
   * user's row as it is now (not as it was read before the lock), so the last-admin check cannot race.
   */
  private changeAdminSafely<T>(
    email: string,
    change: (manager: EntityManager, user: UserEntity) => Promise<T>,
  ): Promise<T> {
    return this.users.manager.transaction(async (manager) => {
      await lockAdminChanges(manager);
      const user = await manager.findOne(UserEntity, { where: { email: normalizeEmail(email) } });
      if (!user) throw apiError(HttpStatus.NOT_FOUND, 'user_not_found', `no user ${normalizeEmail(email)}`);
      return change(manager, user);
    });
  }

  /** Records activity, at most once a minute per user. */
  async touchLastSeen(user: UserEntity): Promise<void> {
    const now = Date.now();
    if (user.lastSeenAt && now - user.lastSeenAt.getTime() < LAST_SEEN_INTERVAL_MS) return;
    user.lastSeenAt = new Date(now);
    await this.users.update(user.id, { lastSeenAt: user.lastSeenAt });
  }
}

/** Human roles only (cicd is a token preset), de-duplicated and sorted; at least one. */
export function validRoles(roles: string[]): string[] {
  const unique = [...new Set(roles.map((role) => role.trim().toLowerCase()))].sort();
  if (unique.length === 0) {
    throw apiError(HttpStatus.BAD_REQUEST, 'roles_required', 'give the user at least one role');
  }
  const invalid = unique.filter((role) => !isHumanRole(role));
  if (invalid.length > 0) {
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'invalid_role',
      `invalid role: ${invalid.join(', ')} (valid roles: viewer, ops, deployer, admin; cicd is for API tokens only)`,
    );
  }
  return unique;
}
