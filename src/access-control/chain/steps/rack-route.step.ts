import { Injectable, Optional } from '@nestjs/common';
import { DeployGate } from '../../../approvals/gate/deploy-gate.service';
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

  constructor(
    private readonly authorizer: ConvoxAuthorizerService,
    // Absent only where a test builds the step alone: deploy steps are then refused like any other.
    @Optional() private readonly gate?: DeployGate,
  ) {}

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
      // A deploy step of a `deploy_with_approval` token is the deploy-approval step's to decide.
      const located =
        decision.code === 'missing-permission'
          ? this.authorizer.locate(req.method ?? 'GET', raw, req.headers, isWebsocketUpgrade(req.headers))
          : undefined;
      if (located?.allowed) {
        const { allowed: _located, ...route } = located;
        const step = this.gate?.stepFor(principal, route);
        if (step && (transport === 'http' || route.route.kind === 'websocket')) {
          req.convoxRoute = route;
          req.deployStep = step;
          return;
        }
      }
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
