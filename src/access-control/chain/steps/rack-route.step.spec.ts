import { HttpException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../principal';
import { AbilityFactory } from '../../../rbac/ability.factory';
import { ConvoxAuthorizerService } from '../../../rbac/convox-authorizer.service';
import { userWithRoles } from '../../../rbac/testing/test-principals';
import { AccessRefusal } from '../../access-refusal';
import type { AccessAttempt, ChainRequest } from '../access-attempt';
import { RackRouteStep } from './rack-route.step';

const step = new RackRouteStep(new ConvoxAuthorizerService(new AbilityFactory()));
type RackProxyRequest = ChainRequest;

function request(
  method: string,
  originalUrl: string,
  principal?: Principal,
  headers: IncomingHttpHeaders = {},
) {
  return { method, originalUrl, url: originalUrl, headers, principal } as unknown as RackProxyRequest;
}

function attemptFor(req: RackProxyRequest): AccessAttempt {
  return { req, transport: 'http', clientIp: undefined, url: req.originalUrl ?? '' };
}

/** Runs the step; true when it let the request through. */
function allows(req: RackProxyRequest): boolean {
  step.check(attemptFor(req));
  return true;
}

/** The status and body the client would receive. */
function refusal(req: RackProxyRequest): { status: number; body: unknown } {
  try {
    step.check(attemptFor(req));
  } catch (error) {
    if (error instanceof AccessRefusal) expect(error).toBeInstanceOf(HttpException);
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('request was allowed');
}

describe('RackRouteStep', () => {
  const viewer = userWithRoles(['viewer']);

  it('allows a held route and hands the proxy the matched route, path and query', () => {
    const req = request('GET', '/api/v1/rack-proxy/apps/web/releases?limit=1', userWithRoles(['ops']));
    expect(allows(req)).toBe(true);
    expect(req.convoxRoute).toMatchObject({
      path: '/apps/web/releases',
      query: 'limit=1',
      params: { app: 'web' },
      permission: 'convox:release:list',
      method: 'GET',
      route: { pattern: '/apps/:app/releases' },
    });
  });

  it('denies env:set to a viewer with the JSON body the convox CLI prints', () => {
    expect(refusal(request('POST', '/api/v1/rack-proxy/apps/web/releases?', viewer))).toEqual({
      status: 403,
      body: { error: 'permission denied: convox:release:create' },
    });
  });

  it('denies a route outside the table without forwarding it', () => {
    const req = request('GET', '/api/v1/rack-proxy/kubernetes/api?', userWithRoles(['admin']));
    expect(refusal(req)).toEqual({ status: 403, body: { error: 'route not allowed: GET /kubernetes/api' } });
    expect(req.convoxRoute).toBeUndefined();
  });

  it('rejects an unsafe path with 400 and the reason', () => {
    expect(refusal(request('GET', '/api/v1/rack-proxy/apps/%2e%2e/system', viewer))).toEqual({
      status: 400,
      body: { error: 'invalid path: encoded dot' },
    });
  });

  it('rejects a method override header with 400', () => {
    const req = request('POST', '/api/v1/rack-proxy/apps/web', viewer, {
      'x-http-method-override': 'DELETE',
    });
    expect(refusal(req)).toEqual({
      status: 400,
      body: { error: 'invalid request: method override header not allowed: x-http-method-override' },
    });
  });

  it('matches websocket routes only for real upgrade requests', () => {
    const upgrade = { connection: 'keep-alive, Upgrade', upgrade: 'websocket' };
    const socket = request('GET', '/api/v1/rack-proxy/apps/web/logs', viewer, upgrade);
    expect(allows(socket)).toBe(true);
    expect(socket.convoxRoute).toMatchObject({ method: 'SOCKET', permission: 'convox:log:read' });
    expect(refusal(request('GET', '/api/v1/rack-proxy/apps/web/logs', viewer)).status).toBe(403);
  });

  it.each(['/api/v1/rack-proxyapps', '/API/v1/rack-proxy/apps', '/api/v1/users'])(
    'refuses %s, which is not under the exact proxy prefix',
    (url) => {
      expect(refusal(request('GET', url, viewer))).toEqual({
        status: 400,
        body: { error: 'invalid path: not a rack proxy path' },
      });
    },
  );

  it('refuses with 401 when no principal was resolved', () => {
    expect(refusal(request('GET', '/api/v1/rack-proxy/apps'))).toEqual({
      status: 401,
      body: { error: 'authentication required' },
    });
  });
});
