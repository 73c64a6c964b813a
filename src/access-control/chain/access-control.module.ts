import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../../auth/auth.module';
import { MfaModule } from '../../mfa/mfa.module';
import { ProxyModule } from '../../proxy/proxy.module';
import { RbacModule } from '../../rbac/rbac.module';
import { RouteDeclarationCheck } from './route-declaration-check';
import { AccessChain, ALL_STEPS } from './access-chain';
import { AccessChainGuard } from './access-chain.guard';
import { RackUpgradeListener } from './rack-upgrade.listener';

/**
 * The access chain (access-chain.ts) and the two things that run it: the one global guard (HTTP) and the
 * rack proxy's upgrade listener (websockets). The top of the request path: it imports the modules whose
 * services the steps ask, and nothing imports it.
 */
@Module({
  imports: [DiscoveryModule, AuthModule, MfaModule, RbacModule, ProxyModule],
  providers: [
    ...ALL_STEPS,
    AccessChain,
    RackUpgradeListener,
    RouteDeclarationCheck,
    { provide: APP_GUARD, useClass: AccessChainGuard },
  ],
  exports: [AccessChain],
})
export class AccessControlModule {}
