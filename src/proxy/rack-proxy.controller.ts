import { All, Controller, HttpCode, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../access-control/authenticated.decorator';
import { RACK_PROXY_PREFIX, RackProxyRoute } from '../access-control/rack-proxy-path';
import type { ProxiedRequest } from './rack-proxy-request';
import { RackProxyService } from './rack-proxy.service';

/**
 * The Convox rack API under `/api/v1/rack-proxy/*` (plain HTTP; websocket upgrades never reach Nest's router,
 * see RackUpgradeListener). By the time a request gets here the access chain's proxy steps
 * (src/access-control/chain/access-chain.ts) have authenticated and authorized it and committed its audit
 * event; this only forwards.
 */
@ApiExcludeController()
@Controller(RACK_PROXY_PREFIX.slice(1))
@Authenticated()
@RackProxyRoute()
export class RackProxyController {
  constructor(private readonly proxy: RackProxyService) {}

  @All(['', '{*path}'])
  @HttpCode(200)
  handle(@Req() req: ProxiedRequest, @Res() res: Response): Promise<void> {
    return this.proxy.handle(req, res);
  }
}
