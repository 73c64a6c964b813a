import { CONVOX_ROUTES, type ConvoxRoute } from './convox-routes';
import { compileRoutes, matchConvoxRoute } from './route-matcher';
import { sampleRequests } from './testing/sample-route-path';

const describeRoute = (route: ConvoxRoute) => `${route.method} ${route.pattern}`;

describe('matchConvoxRoute', () => {
  describe.each(CONVOX_ROUTES.map((route) => [describeRoute(route), route] as const))(
    '%s',
    (_name, route) => {
      it.each(sampleRequests(route).map((sample) => [sample.method, sample.path, sample] as const))(
        'matches a sample %s %s with its parameters',
        (_method, _path, sample) => {
          const match = matchConvoxRoute(sample.method, sample.path, sample.isWebsocket);
          expect(match?.route).toBe(route);
          expect(match?.params).toEqual(sample.params);
        },
      );
    },
  );

  it('ignores the query string the convox CLI appends', () => {
    expect(matchConvoxRoute('GET', '/apps?', false)?.route.permission).toBe('convox:app:list');
    expect(matchConvoxRoute('GET', '/apps/web/releases?limit=1', false)?.route.permission).toBe(
      'convox:release:list',
    );
  });

  it('treats a plain GET to a websocket path as no route', () => {
    expect(matchConvoxRoute('GET', '/apps/web/logs', false)).toBeNull();
    expect(matchConvoxRoute('GET', '/apps/web/processes/p1/exec', false)).toBeNull();
  });

  it('treats an upgrade to a plain path as no route, and only GET may upgrade', () => {
    expect(matchConvoxRoute('GET', '/apps', true)).toBeNull();
    expect(matchConvoxRoute('POST', '/apps/web/logs', true)).toBeNull();
    expect(matchConvoxRoute('GET', '/apps/web/logs', true)?.route.permission).toBe('convox:log:read');
  });

  it('never accepts the pseudo-methods SOCKET and ANY from a caller', () => {
    expect(matchConvoxRoute('SOCKET', '/apps/web/logs', false)).toBeNull();
    expect(matchConvoxRoute('ANY', '/v2/x', false)).toBeNull();
  });

  it('is case-sensitive in methods and paths', () => {
    expect(matchConvoxRoute('get', '/apps', false)).toBeNull();
    expect(matchConvoxRoute('GET', '/Apps', false)).toBeNull();
    expect(matchConvoxRoute('GET', '/APPS/web', false)).toBeNull();
  });

  it('prefers the .tgz export over a plain build id, as the rack does', () => {
    expect(matchConvoxRoute('GET', '/apps/web/builds/B1.tgz', false)).toMatchObject({
      route: { permission: 'convox:build:export' },
      params: { app: 'web', id: 'B1' },
    });
    expect(matchConvoxRoute('GET', '/apps/web/builds/B1', false)?.route.permission).toBe('convox:build:read');
    expect(matchConvoxRoute('GET', '/apps/web/builds/.tgz', false)?.route.permission).toBe(
      'convox:build:read',
    );
  });

  it('prefers literals over parameters and backtracks when a literal leads nowhere', () => {
    expect(matchConvoxRoute('POST', '/certificates/generate', false)?.route.permission).toBe(
      'convox:cert:generate',
    );
    expect(matchConvoxRoute('POST', '/certificates/generate/renew', false)).toMatchObject({
      route: { permission: 'convox:cert:renew' },
      params: { id: 'generate' },
    });
  });

  it('captures slash-carrying tails for object keys and registry hosts', () => {
    expect(matchConvoxRoute('POST', '/apps/web/objects/tmp/abc.tgz', false)?.params).toEqual({
      app: 'web',
      key: 'tmp/abc.tgz',
    });
    expect(matchConvoxRoute('DELETE', '/registries/quay.io:443/team', false)?.params).toEqual({
      server: 'quay.io:443/team',
    });
  });

  it.each([
    ['GET', '/'],
    ['GET', ''],
    ['GET', 'apps'],
    ['GET', '/apps/'],
    ['GET', '/apps/web/'],
    ['GET', '/apps//processes'],
    ['POST', '/apps/web/objects/'],
    ['POST', '/apps/web/objects/tmp/'],
    ['GET', '/kubernetes/api/v1/secrets'],
    ['POST', '/apps/web/environment'],
    ['DELETE', '/apps/web/environment/KEY'],
    ['GET', '/apps/web/processes/p1/logs'],
    ['PATCH', '/apps/web'],
    ['HEAD', '/apps'],
    ['GET', '/system/jwt/token'],
  ])('finds no route for %s %s', (method, path) => {
    expect(matchConvoxRoute(method, path, false)).toBeNull();
  });
});

describe('compileRoutes', () => {
  const row = (pattern: string): ConvoxRoute => ({
    method: 'GET',
    pattern,
    permission: 'convox:app:read',
    kind: 'request',
    mutating: false,
    description: 'test',
  });

  it('refuses duplicate rows so the table stays unambiguous', () => {
    expect(() => compileRoutes([row('/apps/:app'), row('/apps/:app')])).toThrow('duplicate route');
    expect(() => compileRoutes([row('/apps/:app'), row('/apps/:name')])).toThrow('ambiguous parameter');
  });

  it('refuses a tail that is not last and a pattern without a leading slash', () => {
    expect(() => compileRoutes([row('/objects/*key/more')])).toThrow('tail must be last');
    expect(() => compileRoutes([row('apps')])).toThrow('must start with /');
  });
});
