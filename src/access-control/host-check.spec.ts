import type { AppConfig } from '../config/app-config';
import { HostCheck } from './host-check';

function checkFor(mode: AppConfig['mode']): HostCheck {
  return new HostCheck({ mode, http: { publicUrl: 'https://gateway.example.com' } } as AppConfig);
}

describe("HostCheck (the access chain's host step, HTTP and websocket upgrades)", () => {
  const production = checkFor('production');

  it.each([
    ['gateway.example.com', '/api/v1/me'],
    ['GATEWAY.example.com', '/api/v1/rack-proxy/apps/web/logs'],
    ['gateway.example.com.', '/api/v1/me'],
    ['10.0.3.7:8080', '/healthz'],
  ])('lets %s through on %s', (host, path) => {
    expect(production.refusalFor(host, path)).toBeUndefined();
  });

  it.each([
    ['evil.test', '/api/v1/rack-proxy/apps/web/logs'],
    ['gateway.example.com.evil.test', '/api/v1/me'],
    ['127.0.0.1:8080', '/api/v1/rack-proxy/apps'],
    [undefined, '/api/v1/me'],
  ])('refuses Host %s on %s with invalid_host naming the expected host', (host, path) => {
    expect(production.refusalFor(host, path)).toEqual({
      error: 'invalid_host',
      message: 'this gateway answers only for gateway.example.com',
    });
  });

  it('does not check outside production (tests and development use loopback addresses)', () => {
    expect(checkFor('test').refusalFor('evil.test', '/api/v1/me')).toBeUndefined();
    expect(checkFor('development').refusalFor(undefined, '/api/v1/me')).toBeUndefined();
  });
});
