import { routeRackProxyFirst, type RouterLayer } from './rack-proxy-route-first';

const route = (path: string): RouterLayer => ({ route: { path } });
const middleware = (): RouterLayer => ({});
const paths = (stack: RouterLayer[]) => stack.map((layer) => layer.route?.path ?? '(middleware)');

describe('routeRackProxyFirst', () => {
  it('moves the proxy routes before admin routes that can never match a rack-proxy URL', () => {
    const stack = [
      middleware(),
      route('/{*path}'),
      route('/api/v1/users'),
      route('/api/v1/users/:email'),
      route('/healthz'),
      route('/api/v1/rack-proxy'),
      route('/api/v1/rack-proxy/{*path}'),
      middleware(),
    ];
    routeRackProxyFirst(stack);
    expect(paths(stack)).toEqual([
      '(middleware)',
      '/{*path}',
      '/api/v1/rack-proxy',
      '/api/v1/rack-proxy/{*path}',
      '/api/v1/users',
      '/api/v1/users/:email',
      '/healthz',
      '(middleware)',
    ]);
  });

  it('stops at a route that might match a rack-proxy URL (a parameter before the prefix ends)', () => {
    const stack = [
      route('/api/v1/users'),
      route('/api/:version/anything'),
      route('/api/v1/apps/:app'),
      route('/api/v1/rack-proxy/{*path}'),
    ];
    routeRackProxyFirst(stack);
    expect(paths(stack)).toEqual([
      '/api/v1/users',
      '/api/:version/anything',
      '/api/v1/rack-proxy/{*path}',
      '/api/v1/apps/:app',
    ]);
  });

  it('never moves past plain middleware, and leaves a stack without proxy routes alone', () => {
    const stack = [route('/api/v1/users'), middleware(), route('/api/v1/rack-proxy/{*path}')];
    routeRackProxyFirst(stack);
    expect(paths(stack)).toEqual(['/api/v1/users', '(middleware)', '/api/v1/rack-proxy/{*path}']);
    const admin = [route('/api/v1/users'), route('/healthz')];
    routeRackProxyFirst(admin);
    expect(paths(admin)).toEqual(['/api/v1/users', '/healthz']);
  });
});
