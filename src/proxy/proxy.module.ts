import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RbacModule } from '../rbac/rbac.module';
import { DestructiveActionGuard } from './destructive-action.guard';
import { AppEnvKeySettings } from './env/app-env-key-settings.service';
import { EnvChangeGuard } from './env/env-change.guard';
import { RackAnswerMasker } from './env/rack-answer-masker.service';
import { RackEnvReader } from './env/rack-env-reader.service';
import { RackForwarder } from './http/rack-forwarder.service';
import { RackConnection } from './rack/rack-connection.service';
import { RackProxyController } from './rack-proxy.controller';
import { RackProxyService } from './rack-proxy.service';
import { BRIDGE_OPTIONS, RackWebsocketProxy } from './websocket/rack-websocket-proxy.service';
import { DEFAULT_BRIDGE_OPTIONS } from './websocket/frame-bridge';

/** The rack proxy: streaming HTTP forwarding, the websocket bridge and env masking/protection. */
@Module({
  imports: [AuthModule, RbacModule],
  controllers: [RackProxyController],
  providers: [
    RackConnection,
    RackForwarder,
    RackProxyService,
    RackEnvReader,
    RackAnswerMasker,
    AppEnvKeySettings,
    EnvChangeGuard,
    DestructiveActionGuard,
    RackWebsocketProxy,
    { provide: BRIDGE_OPTIONS, useValue: DEFAULT_BRIDGE_OPTIONS },
  ],
  exports: [RackConnection, AppEnvKeySettings],
})
export class ProxyModule {}
