import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AbilityFactory } from '../../rbac/ability.factory';
import { AppEnvKeySettings } from '../env/app-env-key-settings.service';
import { RELEASE_JSON_LIMIT } from '../env/rack-env-reader.service';
import { hiddenKeyPredicate, maskReleaseEnv } from '../env/release-env-masking';
import { carriesReleaseEnv } from '../env/release-env-routes';
import { rackPathFor } from '../rack/rack-endpoint';
import { rackFailure } from '../rack/rack-failure';
import { RackConnection } from '../rack/rack-connection.service';
import type { ProxiedRequest } from '../rack-proxy-request';
import { readBoundedBody } from './bounded-body';
import { downstreamResponseHeaders } from './downstream-response-headers';
import { proxyRequestId } from './proxy-request-id';
import { upstreamRequestHeaders } from './upstream-request-headers';

// Release JSON is parsed for masking, so it must arrive uncompressed.
const NO_ACCEPT_ENCODING: ReadonlySet<string> = new Set(['accept-encoding']);

/**
 * Forwards one authorized request to the rack and the answer back. Bodies are piped with
 * `stream.pipeline` in both directions (backpressure, and an abort on either side tears down the other);
 * the only response read whole is release JSON, which is bounded and has its env masked.
 */
@Injectable()
export class RackForwarder {
  constructor(
    private readonly rack: RackConnection,
    private readonly abilities: AbilityFactory,
    private readonly envKeys: AppEnvKeySettings,
  ) {}

  async forward(req: ProxiedRequest, res: Response): Promise<void> {
    const authorized = req.convoxRoute;
    const principal = req.principal;
    if (!authorized || !principal)
      throw new HttpException({ error: 'authentication required' }, HttpStatus.UNAUTHORIZED);
    const endpoint = this.rack.requireEndpoint();
    const masks = carriesReleaseEnv(authorized.route);

    const headers = upstreamRequestHeaders(
      req.headers,
      { authorization: endpoint.authorization, principal, clientIp: req.ip, requestId: proxyRequestId(req) },
      masks ? NO_ACCEPT_ENCODING : undefined,
    );
    if (req.rackBody) {
      delete headers['transfer-encoding'];
      headers['content-length'] = String(req.rackBody.length);
    }
    const { request, response } = this.rack.open({
      method: req.method,
      path: rackPathFor(endpoint, authorized.path, authorized.query),
      headers,
    });
    // The client hanging up (mid-upload, mid-download, or while we wait) aborts the rack request.
    const abortOnHangUp = () => {
      if (!res.writableFinished) request.destroy();
    };
    res.once('close', abortOnHangUp);
    if (req.rackBody) request.end(req.rackBody);
    else pipeline(req, request).catch(() => request.destroy());

    let upstream: IncomingMessage;
    try {
      upstream = await response;
    } catch (error) {
      if (res.destroyed) return;
      throw rackFailure(error);
    }
    // From here the response pipeline (or the masked read) ties the two sides together.
    res.off('close', abortOnHangUp);
    const status = upstream.statusCode ?? 502;
    if (masks && status >= 200 && status < 300) return this.sendMasked(req, res, upstream);

    res.writeHead(status, downstreamResponseHeaders(upstream.headers));
    res.flushHeaders();
    try {
      await pipeline(upstream, res);
    } catch {
      // Headers are out: the only honest signal left for a broken stream is a cut connection.
      res.destroy();
    }
  }

  private async sendMasked(req: ProxiedRequest, res: Response, upstream: IncomingMessage): Promise<void> {
    const principal = req.principal!;
    const app = req.convoxRoute!.params.app;
    if (upstream.headers['content-encoding'] && upstream.headers['content-encoding'] !== 'identity') {
      upstream.destroy();
      throw new HttpException({ error: 'rack returned an encoded release response' }, HttpStatus.BAD_GATEWAY);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBoundedBody(upstream, RELEASE_JSON_LIMIT)).toString('utf8'));
    } catch {
      // Fail closed: a release answer we cannot read might carry env values we cannot mask.
      throw new HttpException(
        { error: 'rack returned an unreadable release response' },
        HttpStatus.BAD_GATEWAY,
      );
    }
    const ability = this.abilities.forPrincipal(principal);
    const hide = hiddenKeyPredicate(
      { canReadEnv: ability.can('convox:env:read'), canReadSecrets: ability.can('convox:secret:read') },
      await this.envKeys.classifierFor(app),
    );
    const body = Buffer.from(`${JSON.stringify(maskReleaseEnv(parsed, hide), null, 2)}\n`, 'utf8');
    const headers = downstreamResponseHeaders(upstream.headers, { dropContentLength: true });
    res.writeHead(upstream.statusCode ?? 200, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(body.length),
    });
    res.end(body);
  }
}
