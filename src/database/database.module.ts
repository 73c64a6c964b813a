import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { NotificationBus } from './notification-bus';
import { DatabaseOutageLog } from './outage-log';
import { DATABASE_URL, PgNotificationBus } from './pg-notification-bus';
import { runMigrations } from './run-migrations';

/**
 * The PostgreSQL connection, and the notification bus between gateway processes on it (global, like the
 * DataSource). Entities register themselves with TypeOrmModule.forFeature in their module.
 */
@Module({})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(private readonly dataSource: DataSource) {}

  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      // Global for the outage log: the exception filter and the audit writer report to the same one.
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: true })],
      providers: [
        DatabaseOutageLog,
        { provide: DATABASE_URL, useValue: url },
        PgNotificationBus,
        { provide: NotificationBus, useExisting: PgNotificationBus },
      ],
      exports: [DatabaseOutageLog, NotificationBus],
    };
  }

  // Migrations run before the app accepts requests (bootstrap happens before listen).
  async onApplicationBootstrap(): Promise<void> {
    const applied = await runMigrations(this.dataSource);
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
