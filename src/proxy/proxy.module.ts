import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { AuthModule } from '../auth/auth.module';
import { RbacModule } from '../rbac/rbac.module';
import { AppEnvKeySettings } from './env/app-env-key-settings.service';
import { EnvChangeService } from './env/env-change.service';
import { RackAnswerMasker } from './env/rack-answer-masker.service';
import { RackEnvReader } from './env/rack-env-reader.service';
import { RackForwarder } from './http/rack-forwarder.service';
import { RackConnection } from './rack/rack-connection.service';
import { RackProxyController } from './rack-proxy.controller';
import { RackProxyService } from './rack-proxy.service';
import { AccessRevocationService } from './websocket/access-revocation.service';
import { LiveWebsockets } from './websocket/live-websockets';
import { BRIDGE_OPTIONS, RackWebsocketProxy } from './websocket/rack-websocket-proxy.service';
import { DEFAULT_BRIDGE_OPTIONS } from './websocket/frame-bridge';

/** The rack proxy: streaming HTTP forwarding, the websocket bridge and env masking/protection. */
@Module({
  imports: [AuthModule, RbacModule, AccessEventsModule],
  controllers: [RackProxyController],
  providers: [
    RackConnection,
    RackForwarder,
    RackProxyService,
    RackEnvReader,
    RackAnswerMasker,
    AppEnvKeySettings,
    EnvChangeService,
    RackWebsocketProxy,
    LiveWebsockets,
    AccessRevocationService,
    { provide: BRIDGE_OPTIONS, useValue: DEFAULT_BRIDGE_OPTIONS },
  ],
  exports: [RackConnection, AppEnvKeySettings, EnvChangeService, RackWebsocketProxy],
})
export class ProxyModule {}
