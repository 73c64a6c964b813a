import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminAuditInterceptor } from './admin-audit.interceptor';
import { AuditChainService } from './audit-chain.service';
import { AuditContextMiddleware } from './audit-context.middleware';
import { AuditQueryService } from './audit-query.service';
import { AuditRecorder } from './audit-recorder';
import { AuditRequestFinisher } from './audit-request-finisher';
import { AuditRetentionService } from './audit-retention.service';
import { AuditStdout } from './audit-stdout.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { ProxyAudit } from './proxy-audit';
import { RefusalAuditAggregator } from './refusal-aggregator';
import { WebsocketAuditService } from './websocket-audit.service';

/**
 * The audit trail. Global so every module can inject AuditRecorder. The middleware opens a per-request
 * audit context on every route; the admin interceptor is global; the access chain's audit-first step opens
 * rack calls' events through ProxyAudit and WebsocketAuditService.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditService,
    { provide: AuditRecorder, useExisting: AuditService },
    AuditStdout,
    AuditRequestFinisher,
    AuditQueryService,
    AuditChainService,
    AuditRetentionService,
    ProxyAudit,
    WebsocketAuditService,
    RefusalAuditAggregator,
    { provide: APP_INTERCEPTOR, useClass: AdminAuditInterceptor },
  ],
  exports: [
    AuditRecorder,
    AuditService,
    ProxyAudit,
    WebsocketAuditService,
    AuditChainService,
    RefusalAuditAggregator,
  ],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
