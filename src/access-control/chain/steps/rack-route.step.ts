import { Injectable } from '@nestjs/common';
import { ConvoxAuthorizerService } from '../../../rbac/convox-authorizer.service';
import { isWebsocketUpgrade } from '../../../rbac/method-safety';
import { AccessRefusal } from '../../access-refusal';
import { stripRackProxyPrefix } from '../../rack-proxy-path';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * The rack route and the principal's right to it (ConvoxAuthorizerService: method, path safety, the route
 * table, the ability with app-scoped grants). Works on the raw URL, never decoded. Refusals are in the
 * words the convox CLI prints after `ERROR:`. An upgrade must name a websocket route.
 */
@Injectable()
export class RackRouteStep implements AccessStep {
  readonly name = 'rack-route';

  constructor(private readonly authorizer: ConvoxAuthorizerService) {}

  check({ req, url, transport }: AccessAttempt): void {
    const principal = req.principal;
    if (!principal) throw new AccessRefusal('unauthenticated', { error: 'authentication required' });
    const raw = stripRackProxyPrefix(url);
    if (raw === null) {
      throw new AccessRefusal('invalid-request', { error: 'invalid path: not a rack proxy path' });
    }
    const decision = this.authorizer.authorize(
      principal,
      req.method ?? 'GET',
      raw,
      req.headers,
      isWebsocketUpgrade(req.headers),
    );
    if (!decision.allowed) {
      throw new AccessRefusal(
        decision.code,
        { error: decision.error },
        decision.permission ? { permission: decision.permission } : {},
      );
    }
    const { allowed: _allowed, ...authorized } = decision;
    if (transport === 'websocket' && authorized.route.kind !== 'websocket') {
      throw new AccessRefusal('invalid-request', { error: 'invalid request: not a websocket route' });
    }
    req.convoxRoute = authorized;
  }
}
