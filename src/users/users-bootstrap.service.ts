import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runMigrations } from '../database/run-migrations';
import { UsersService } from './users.service';

/**
 * Creates the users named in ADMIN_USERS, DEPLOYER_USERS, OPS_USERS and VIEWER_USERS when they do not exist.
 * Existing rows are never touched, so role and name changes made later through the API are kept.
 */
@Injectable()
export class UsersBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Nest may run this hook before DatabaseModule's; applying pending migrations is idempotent, so make
    // sure the users table exists rather than depend on hook order.
    await runMigrations(this.dataSource);
    const lists = this.config.bootstrapUsers;
    // Most powerful role first: an address listed twice gets the stronger role.
    const ordered: [string, string[]][] = [
      ['admin', lists.admin],
      ['deployer', lists.deployer],
      ['ops', lists.ops],
      ['viewer', lists.viewer],
    ];
    for (const [role, emails] of ordered) {
      for (const email of emails) {
        if (await this.users.createIfAbsent(email, role)) this.logger.log(`created ${role} ${email}`);
      }
    }
  }
}
