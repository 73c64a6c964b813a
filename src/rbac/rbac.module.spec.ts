import { Test } from '@nestjs/testing';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';
import { RbacModule } from './rbac.module';
import { userWithRoles } from './testing/test-principals';

describe('RbacModule', () => {
  it('wires the authorizer to the ability factory through Nest', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RbacModule] }).compile();
    expect(moduleRef.get(AbilityFactory)).toBeInstanceOf(AbilityFactory);
    const decision = moduleRef
      .get(ConvoxAuthorizerService)
      .authorize(userWithRoles(['viewer']), 'GET', '/apps?', {}, false);
    expect(decision).toMatchObject({ allowed: true, permission: 'convox:app:list' });
  });
});
