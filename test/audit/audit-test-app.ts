import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  HttpException,
  Injectable,
  Module,
  Patch,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { json } from 'express';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { recordDecision, setAccessTarget } from '../../src/access-control/access-record';
import { AccessRefusal } from '../../src/access-control/access-refusal';
import { adminTargetOf, routeDeclarationOf } from '../../src/access-control/chain/route-declaration';
import { AuditModule } from '../../src/audit/audit.module';
import { ProxyAudit } from '../../src/audit/proxy-audit';
import type { Principal } from '../../src/access-control/principal';
import { RequirePermission } from '../../src/access-control/require-permission.decorator';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { loadConfig } from '../../src/config/load-config';
import { DatabaseModule } from '../../src/database/database.module';
import { SettingsModule } from '../../src/settings/settings.module';
import { freePort } from '../harness/free-port';
import { startServers } from '../harness/started-servers';
import { createMigratedTestDatabase } from '../harness/test-database';

export const DEPLOYER: Principal = {
  kind: 'user',
  userId: 'u-1',
  email: 'deployer@example.com',
  name: 'Deployer',
  roles: ['deployer'],
  permissions: ['convox:*:*'],
  channel: 'cli',
  sessionId: 's-1',
};

/** What the fake rack handler saw: proves whether a refused call reached "upstream". */
export const upstream = { calls: 0 };

/**
 * Stands in for the access chain's proxy steps: `x-test-deny` refuses and records the decision like the
 * rack-route step does, otherwise the route is authorized (`convox:app:read` on app `web` for reads) and its
 * event committed through ProxyAudit like the audit-first step. Identity is fixed, never read from headers.
 */
@Injectable()
class FakeProxyChainGuard implements CanActivate {
  constructor(private readonly proxyAudit: ProxyAudit) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    req.principal = DEPLOYER;
    setAccessTarget(req, { action: req.method === 'GET' ? 'convox:app:read' : 'convox:release:create' });
    if (req.headers['x-test-deny']) {
      const refusal = new AccessRefusal(
        'missing-permission',
        { error: 'permission denied: convox:env:set' },
        { permission: 'convox:env:set' },
      );
      recordDecision(req, refusal.decisionOf('rack-route'));
      throw refusal;
    }
    const convoxRoute = {
      route: {
        method: 'GET',
        pattern: '/apps/:app',
        permission: 'convox:app:read',
        kind: 'request',
        mutating: false,
        resource: { type: 'app', param: 'app' },
        description: '',
      },
      params: { app: 'web' },
      path: '/apps/web',
      query: '',
      permission: req.method === 'GET' ? 'convox:app:read' : 'convox:env:set',
      method: req.method,
    } as const;
    req.convoxRoute = convoxRoute;
    try {
      await this.proxyAudit.open(req, DEPLOYER, convoxRoute);
    } catch (cause) {
      throw new AccessRefusal('audit-unavailable', { error: 'audit log unavailable' }, { cause });
    }
    return true;
  }
}

@Controller('api/v1/rack-proxy')
@UseGuards(FakeProxyChainGuard)
class FakeProxyController {
  @Get('apps/web')
  read(@Res() res: Response): void {
    upstream.calls += 1;
    res.json({ name: 'web' });
  }

  @Post('apps/web/releases')
  write(@Req() req: Request, @Res() res: Response): void {
    upstream.calls += 1;
    if (req.headers['x-test-upstream-down']) throw new HttpException({ error: 'rack unreachable' }, 502);
    if (req.headers['x-test-slow']) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return; // never ends: the client will hang up
    }
    req.resume();
    req.on('end', () => res.json({ id: 'R1' }));
  }
}

/** An admin controller as the real ones declare themselves; the principal is set like the access chain would. */
@Controller('api/v1/widgets')
class FakeAdminController {
  @RequirePermission('gateway:user:update')
  @Patch(':name')
  update(@Req() req: Request & Record<string, unknown>, @Body() body: Record<string, unknown>) {
    upstream.calls += 1;
    return { updated: req.params.name, fields: Object.keys(body) };
  }
}

/** Stands in for the admin access chain: the principal is fixed, the route's target named from its declaration. */
@Injectable()
class FakeAdminChainGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    req.principal = DEPLOYER;
    if (!req.originalUrl.startsWith('/api/v1/rack-proxy')) {
      setAccessTarget(req, adminTargetOf(routeDeclarationOf(this.reflector, context), req.params));
    }
    return true;
  }
}

@Module({
  controllers: [FakeProxyController, FakeAdminController],
  providers: [FakeProxyChainGuard, { provide: APP_GUARD, useClass: FakeAdminChainGuard }],
})
class FakeProxyModule {}

export interface AuditTestApp {
  app: NestExpressApplication;
  url: string;
  db: Client;
  dataSource: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

export async function startAuditTestApp(env: Record<string, string> = {}): Promise<AuditTestApp> {
  const databaseUrl = await createMigratedTestDatabase();
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    AUDIT_HMAC_SECRET: randomBytes(32).toString('hex'),
    AUDIT_STDOUT: 'true',
    RACK_NAME: 'test-rack',
    ...env,
  });
  return startServers(async (servers) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        // TypeORM, the outage log and the notification bus; the audit log reads its folding window from the
        // runtime settings, kept current through the bus.
        DatabaseModule.forRoot(databaseUrl),
        SettingsModule,
        AuditModule,
        FakeProxyModule,
      ],
    }).compile();
    const app = servers.own(
      moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false }),
      (started) => started.close(),
    );
    app.use((req: Request, res: Response, next: () => void) =>
      req.originalUrl.startsWith('/api/v1/rack-proxy') ? next() : json()(req, res, next),
    );
    await app.listen(port, '127.0.0.1');
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    servers.own(db, (client) => client.end());
    return {
      app,
      url: `http://127.0.0.1:${port}`,
      db,
      dataSource: app.get(DataSource),
      config,
      close: () => servers.closeAll(),
    };
  });
}

/** Waits until `check` passes (outcomes are written when the response closes, just after the client sees it). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
