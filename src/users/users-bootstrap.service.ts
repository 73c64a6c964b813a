import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runMigrations } from '../database/run-migrations';
import { countActiveAdmins, lockAdminChanges } from './last-admin-rule';
import { normalizeEmail, UsersService } from './users.service';

/**
 * Seeds users from ADMIN_USERS, DEPLOYER_USERS, OPS_USERS and VIEWER_USERS. Admins are created only while
 * the database has no active admin at all: ADMIN_USERS gets a fresh install (or one that lost every admin)
 * going, but never brings back an admin who was deleted on purpose. Other roles are created when absent.
 * Existing rows are never touched, so role and name changes made later through the API are kept, and every
 * user created here is recorded in the audit trail with the reason.
 */
@Injectable()
export class UsersBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Nest may run this hook before DatabaseModule's; applying pending migrations is idempotent, so make
    // sure the users table exists rather than depend on hook order.
    await runMigrations(this.dataSource);
    const lists = this.config.bootstrapUsers;
    await this.bootstrapAdmins(lists.admin);
    const admins = new Set(lists.admin.map(normalizeEmail));
    // Most powerful role first: an address listed twice gets the stronger role. An ADMIN_USERS address is
    // never seeded with a lesser role instead (that would bring a deleted admin back under another role).
    const seen = new Set(admins);
    for (const [role, emails] of [
      ['deployer', lists.deployer],
      ['ops', lists.ops],
      ['viewer', lists.viewer],
    ] as const) {
      for (const email of emails.map(normalizeEmail)) {
        if (seen.has(email)) continue;
        seen.add(email);
        if (await this.users.createIfAbsent(email, role)) await this.recordCreated(email, role, role);
      }
    }
  }

  private async bootstrapAdmins(emails: string[]): Promise<void> {
    if (emails.length === 0) return;
    // Under the admin-change lock: two replicas starting together (or a concurrent demotion) see one truth.
    const created = await this.dataSource.transaction(async (manager) => {
      await lockAdminChanges(manager);
      const active = await countActiveAdmins(manager);
      if (active > 0) {
        this.logger.log(`ADMIN_USERS not applied: the database already has ${active} active admin(s)`);
        return [];
      }
      const added: string[] = [];
      for (const email of emails.map(normalizeEmail)) {
        if (await this.users.createIfAbsent(email, 'admin', manager)) added.push(email);
      }
      if (added.length === 0)
        this.logger.warn(
          'no active admin in the database and every ADMIN_USERS address already exists as a user ' +
            'without the admin role (or locked): nobody can manage users until an admin is restored',
        );
      return added;
    });
    for (const email of created) await this.recordCreated(email, 'admin', 'admin', 'no active admin existed');
  }

  private async recordCreated(email: string, role: string, list: string, reason?: string): Promise<void> {
    this.logger.log(`created ${role} ${email} from ${list.toUpperCase()}_USERS`);
    await this.audit.record({
      action: 'gateway:user:create',
      decision: 'allow',
      rule: 'bootstrap',
      resourceType: 'user',
      resourceName: email,
      status: 201,
      details: { roles: [role], source: `${list.toUpperCase()}_USERS`, ...(reason ? { reason } : {}) },
    });
  }
}
