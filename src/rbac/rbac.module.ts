import { Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';

/** Route table, roles and the decision services; the access chain and the admin API import it. */
@Module({
  providers: [AbilityFactory, ConvoxAuthorizerService],
  exports: [AbilityFactory, ConvoxAuthorizerService],
})
export class RbacModule {}
