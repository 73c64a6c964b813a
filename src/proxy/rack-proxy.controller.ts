import { All, Controller, HttpCode, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DeployApprovalGuard } from '../approvals/gate/deploy-approval.guard';
import { ProxyAuditInterceptor } from '../audit/proxy-audit.interceptor';
import { Authenticated } from '../auth/authenticated.decorator';
import { MfaRackGuard } from '../mfa/mfa-rack.guard';
import { RbacGuard } from '../rbac/rbac.guard';
import { DestructiveActionGuard } from './destructive-action.guard';
import { EnvChangeGuard } from './env/env-change.guard';
import { PROXY_PREFIX } from './proxy-prefix';
import type { ProxiedRequest } from './rack-proxy-request';
import { RackProxyService } from './rack-proxy.service';

/**
 * The Convox rack API under `/api/v1/rack-proxy/*` (plain HTTP; websockets are bridged by
 * RackWebsocketBridge on the server's `upgrade` event). Guard order is the pipeline order, see
 * docs/PROXY.md: authentication (global) → DeployApprovalGuard (a deploy_with_approval token's deploy
 * steps) → RbacGuard (route allow-list + permission) → MfaRackGuard (the
 * permission's MFA level) → DestructiveActionGuard (the `proxy.allow_destructive_actions` setting) →
 * EnvChangeGuard → audit interceptor → forward.
 */
@ApiExcludeController()
@Controller(PROXY_PREFIX.slice(1))
@Authenticated()
@UseGuards(DeployApprovalGuard, RbacGuard, MfaRackGuard, DestructiveActionGuard, EnvChangeGuard)
@UseInterceptors(ProxyAuditInterceptor)
export class RackProxyController {
  constructor(private readonly proxy: RackProxyService) {}

  @All(['', '{*path}'])
  @HttpCode(200)
  handle(@Req() req: ProxiedRequest, @Res() res: Response): Promise<void> {
    return this.proxy.handle(req, res);
  }
}
