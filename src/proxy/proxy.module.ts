import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { DeployGateModule } from '../approvals/gate/deploy-gate.module';
import { AuthModule } from '../auth/auth.module';
import { MfaModule } from '../mfa/mfa.module';
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
import { AccessRevocationService } from './websocket/access-revocation.service';
import { LiveWebsockets } from './websocket/live-websockets';
import { BRIDGE_OPTIONS, RackWebsocketProxy } from './websocket/rack-websocket-proxy.service';
import { DEFAULT_BRIDGE_OPTIONS } from './websocket/frame-bridge';

/** The rack proxy: streaming HTTP forwarding, the websocket bridge and env masking/protection. */
@Module({
  imports: [AuthModule, RbacModule, AccessEventsModule, MfaModule, DeployGateModule],
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
    LiveWebsockets,
    AccessRevocationService,
    { provide: BRIDGE_OPTIONS, useValue: DEFAULT_BRIDGE_OPTIONS },
  ],
  exports: [RackConnection, AppEnvKeySettings],
})
export class ProxyModule {}
