import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { DeployGateModule } from '../../approvals/gate/deploy-gate.module';
import { AuthModule } from '../../auth/auth.module';
import { MfaModule } from '../../mfa/mfa.module';
import { ProxyModule } from '../../proxy/proxy.module';
import { RbacModule } from '../../rbac/rbac.module';
import { RouteDeclarationCheck } from './route-declaration-check';
import { AccessChain, ALL_STEPS } from './access-chain';
import { AccessChainGuard } from './access-chain.guard';
import { ConsoleUpgradeAdmission } from './console-upgrade.admission';
import { RackUpgradeListener } from './rack-upgrade.listener';
import { UPGRADE_ADMISSION } from '../../live-updates/path-scoped-ws.adapter';

/**
 * The access chain (access-chain.ts) and the three things that run it: the one global guard (HTTP), the
 * rack proxy's upgrade listener and the admission of the console's own websockets (UPGRADE_ADMISSION, which
 * the websocket adapter asks before it upgrades). The top of the request path: it imports the modules whose
 * services the steps ask, and nothing imports it.
 */
@Module({
  imports: [DiscoveryModule, AuthModule, MfaModule, RbacModule, ProxyModule, DeployGateModule],
  providers: [
    ...ALL_STEPS,
    AccessChain,
    RackUpgradeListener,
    ConsoleUpgradeAdmission,
    { provide: UPGRADE_ADMISSION, useExisting: ConsoleUpgradeAdmission },
    RouteDeclarationCheck,
    { provide: APP_GUARD, useClass: AccessChainGuard },
  ],
  exports: [AccessChain],
})
export class AccessControlModule {}
