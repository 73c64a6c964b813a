import { Injectable } from '@nestjs/common';
import { ConvoxAuthorizerService } from '../../../rbac/convox-authorizer.service';
import { isWebsocketUpgrade } from '../../../rbac/method-safety';
import { setAccessTarget } from '../../access-record';
import { stripRackProxyPrefix } from '../../rack-proxy-path';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * Names the rack route the raw path asks for, before anyone asks whether the caller may use it: the audit
 * event of any refusal from here on is filed under that route's permission (or `convox:unknown:route`), and
 * the websocket upgrade knows whether a refusal may be told in-band. Refuses nothing: path and route
 * refusals come after authentication (RackRouteStep), so an anonymous caller learns nothing about routes.
 */
@Injectable()
export class RackTargetStep implements AccessStep {
  readonly name = 'rack-target';

  constructor(private readonly authorizer: ConvoxAuthorizerService) {}

  check({ req, url }: AccessAttempt): void {
    const raw = stripRackProxyPrefix(url) ?? '';
    const located = this.authorizer.locate(
      req.method ?? 'GET',
      raw,
      req.headers,
      isWebsocketUpgrade(req.headers),
    );
    req.rackTarget = located;
    if (!located.allowed) {
      setAccessTarget(req, { action: 'convox:unknown:route' });
      return;
    }
    const resource = located.route.resource;
    setAccessTarget(req, {
      action: located.route.permission ?? 'convox:probe:read',
      resourceType: resource?.type,
      resourceName: resource ? located.params[resource.param] : undefined,
    });
  }
}
