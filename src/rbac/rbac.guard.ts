import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import { ConvoxAuthorizerService, type AuthorizedConvoxRoute } from './convox-authorizer.service';
import { isWebsocketUpgrade } from './method-safety';
import { stripRackProxyPrefix } from './rack-proxy-prefix';

/** The proxy controller's request after this guard: who is calling and which rack route they may use. */
export type RackProxyRequest = Request & {
  principal?: Principal;
  convoxRoute?: AuthorizedConvoxRoute;
  /** Set by the deploy gate (which runs first) when a deploy approval admitted the call. */
  deployApproval?: { approvalId: string };
};

/**
 * Runs before the proxy on every `/api/v1/rack-proxy/*` request. Works on `req.originalUrl` (raw, never
 * decoded by Express) and delegates the decision to ConvoxAuthorizerService. A refusal is thrown as an
 * HttpException whose body is exactly `{ error }`, the shape the convox CLI prints.
 */
@Injectable()
export class RbacGuard implements CanActivate {
  constructor(private readonly authorizer: ConvoxAuthorizerService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RackProxyRequest>();
    if (!req.principal)
      throw new HttpException({ error: 'authentication required' }, HttpStatus.UNAUTHORIZED);
    // The deploy gate decided this call (and set convoxRoute from the same route table).
    if (req.deployApproval && req.convoxRoute) return true;

    const raw = stripRackProxyPrefix(req.originalUrl);
    if (raw === null)
      throw new HttpException({ error: 'invalid path: not a rack proxy path' }, HttpStatus.BAD_REQUEST);

    const decision = this.authorizer.authorize(
      req.principal,
      req.method,
      raw,
      req.headers,
      isWebsocketUpgrade(req.headers),
    );
    if (!decision.allowed) throw new HttpException({ error: decision.error }, decision.status);

    const { allowed: _allowed, ...authorized } = decision;
    req.convoxRoute = authorized;
    return true;
  }
}
