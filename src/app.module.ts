import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { AccessControlModule } from './access-control/chain/access-control.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { ApprovalProvidersModule } from './approvals/providers/approval-providers.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { GlobalExceptionFilter } from './errors/global-exception.filter';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProxyModule } from './proxy/proxy.module';
import { RolesModule } from './roles/roles.module';
import { SettingsModule } from './settings/settings.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';
import { LiveUpdatesModule } from './live-updates/live-updates.module';

/** The gateway. Configuration is validated before this module is built and passed in. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, logDestination),
        DatabaseModule.forRoot(databaseUrl),
        // Global AuditRecorder, the per-request audit context and the admin audit interceptor.
        AuditModule,
        // Global SettingsService (runtime policy read by sessions, audit and the proxy).
        SettingsModule,
        // Global JobQueue (pg-boss, own schema): background work such as notifications.
        JobsModule.forRoot(databaseUrl),
        NotificationsModule,
        HealthModule,
        RolesModule,
        UsersModule,
        TokensModule,
        ApprovalsModule,
        // Notifications, CircleCI auto-approve and GitHub verification, hooked into approvals.
        ApprovalProvidersModule,
        AuthModule,
        ProxyModule,
        LiveUpdatesModule,
        // The one access chain (src/access-control/chain/access-chain.ts) for HTTP and websocket upgrades.
        AccessControlModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}
