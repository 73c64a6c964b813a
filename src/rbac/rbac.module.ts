import { Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';
import { RbacGuard } from './rbac.guard';

/** Route table, roles and the decision services; the proxy and the admin API import it. */
@Module({
  providers: [AbilityFactory, ConvoxAuthorizerService, RbacGuard],
  exports: [AbilityFactory, ConvoxAuthorizerService, RbacGuard],
})
export class RbacModule {}
