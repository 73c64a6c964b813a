import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { setAccessTarget } from '../access-record';
import { isRackProxyPath } from '../rack-proxy-path';
import type { AccessAttempt, ChainRequest } from './access-attempt';
import { AccessChain } from './access-chain';
import { adminTargetOf, routeDeclarationOf } from './route-declaration';

/**
 * The one global guard: runs the access chain (access-chain.ts) for every HTTP request — the rack proxy's
 * list for `/api/v1/rack-proxy/*`, the admin list for everything else. Other transports reach only public
 * handlers here: the console's websocket was admitted by this same chain before its upgrade
 * (ConsoleUpgradeAdmission).
 */
@Injectable()
export class AccessChainGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly chain: AccessChain,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = routeDeclarationOf(this.reflector, context);
    if (context.getType() !== 'http') return declaration.isPublic;
    const req = context.switchToHttp().getRequest<Request & ChainRequest>();
    const attempt: AccessAttempt = { req, transport: 'http', clientIp: req.ip, url: req.originalUrl };
    if (declaration.isRackProxy || isRackProxyPath(req.originalUrl)) {
      await this.chain.runProxy(attempt);
      return true;
    }
    setAccessTarget(req, adminTargetOf(declaration, req.params));
    await this.chain.runAdmin({ ...attempt, declaration });
    return true;
  }
}
