import { Injectable } from '@nestjs/common';
import { stripRackProxyPrefix } from '../../rack-proxy-path';
import { LiveSessionHandle, LiveWebsockets } from '../../../proxy/websocket/live-websockets';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * Websocket upgrades only: registers the session-to-be with LiveWebsockets as soon as the caller and the
 * route are known, so an access change (revoked token, locked user, lost permission) made while the rest of
 * the chain runs and the rack is dialed is not missed — the session is ended as soon as it is bridged.
 * Refuses nothing; plain requests pass untouched.
 */
@Injectable()
export class LiveSessionStep implements AccessStep {
  readonly name = 'live-session';

  constructor(private readonly live: LiveWebsockets) {}

  check({ req, transport }: AccessAttempt): void {
    if (transport !== 'websocket' || !req.principal || !req.convoxRoute) return;
    req.liveSession = new LiveSessionHandle(this.live, {
      principal: req.principal,
      permission: req.convoxRoute.permission,
      method: req.method ?? 'GET',
      rawPath: stripRackProxyPrefix(req.url ?? '') ?? '',
      headers: req.headers,
    });
  }
}
