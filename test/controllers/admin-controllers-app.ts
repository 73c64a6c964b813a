import { ValidationPipe } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import cookieParser from 'cookie-parser';
import { json } from 'express';
import { AccessControlModule } from '../../src/access-control/chain/access-control.module';
import { AuditModule } from '../../src/audit/audit.module';
import { AuthModule } from '../../src/auth/auth.module';
import { ConfigModule } from '../../src/config/config.module';
import { loadConfig } from '../../src/config/load-config';
import { DatabaseModule } from '../../src/database/database.module';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { GlobalExceptionFilter } from '../../src/errors/global-exception.filter';
import { JobsModule } from '../../src/jobs/jobs.module';
import { LoggingModule } from '../../src/logging/logging.module';
import { NotificationsModule } from '../../src/notifications/notifications.module';
import { RolesModule } from '../../src/roles/roles.module';
import { SettingsModule } from '../../src/settings/settings.module';
import { TokensModule } from '../../src/tokens/tokens.module';
import { UsersModule } from '../../src/users/users.module';
import { freePort } from '../harness/free-port';
import { startServers } from '../harness/started-servers';
import { createMigratedTestDatabase } from '../harness/test-database';

export interface AdminControllersApp {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * The admin API's controllers alone — no health endpoints, no web console, no rack behind the proxy —
 * with the real access chain as the global guard, the pipes and the exception filter, on a fresh real PostgreSQL database. The controller tier
 * of the tests: what a route lets through is decided by the same guards as in the gateway, without the
 * rest of the gateway around it.
 */
export async function startAdminControllersApp(
  env: Record<string, string> = {},
): Promise<AdminControllersApp> {
  const databaseUrl = await createMigratedTestDatabase();
  const port = await freePort();
  const config = loadConfig(
    throwawayGatewayEnv(port, databaseUrl, {
      ADMIN_USERS: 'admin@example.com',
      VIEWER_USERS: 'viewer@example.com',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ...env,
    }),
  );
  return startServers(async (servers) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        AuditModule,
        SettingsModule,
        // MFA lockouts notify people through the job queue.
        JobsModule.forRoot(databaseUrl),
        NotificationsModule,
        RolesModule,
        UsersModule,
        TokensModule,
        AuthModule,
        // The one access chain as the global guard (it also serves the rack proxy's upgrades, so it brings
        // the proxy module along; the tests leave the proxy routes alone).
        AccessControlModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    }).compile();
    const app = servers.own(
      moduleRef.createNestApplication<NestExpressApplication>({ logger: false }),
      (started) => started.close(),
    );
    app.use(cookieParser());
    app.use(json());
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await app.listen(port, '127.0.0.1');
    return { app, url: `http://127.0.0.1:${port}`, close: () => servers.closeAll() };
  });
}
