import { Test } from '@nestjs/testing';
import type { ExecutionContext } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { ConvoxAuthorizerService } from './convox-authorizer.service';
import { RbacGuard, type RackProxyRequest } from './rbac.guard';
import { RbacModule } from './rbac.module';
import { userWithRoles } from './testing/test-principals';

describe('RbacModule', () => {
  it('wires the guard to the authorizer and the ability factory through Nest', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RbacModule] }).compile();
    expect(moduleRef.get(AbilityFactory)).toBeInstanceOf(AbilityFactory);
    expect(moduleRef.get(ConvoxAuthorizerService)).toBeInstanceOf(ConvoxAuthorizerService);

    const req = {
      method: 'GET',
      originalUrl: '/api/v1/rack-proxy/apps?',
      headers: {},
      principal: userWithRoles(['viewer']),
    } as unknown as RackProxyRequest;
    const context = { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
    expect(moduleRef.get(RbacGuard).canActivate(context)).toBe(true);
    expect(req.convoxRoute?.permission).toBe('convox:app:list');
  });
});
