import { isRackProxyPath, stripRackProxyPrefix } from './rack-proxy-path';

describe('stripRackProxyPrefix', () => {
  it.each([
    ['/api/v1/rack-proxy/apps?', '/apps?'],
    ['/api/v1/rack-proxy', ''],
    ['/api/v1/rack-proxy?x=1', '?x=1'],
    ['/api/v1/rack-proxy//apps', '//apps'],
  ])('strips the prefix from %s exactly once', (url, expected) => {
    expect(stripRackProxyPrefix(url)).toBe(expected);
  });

  it.each(['/api/v1/rack-proxyX/apps', '/API/V1/RACK-PROXY/apps', '/api/v1/convox/apps', '/apps'])(
    'returns null for %s',
    (url) => {
      expect(stripRackProxyPrefix(url)).toBeNull();
    },
  );
});

describe('isRackProxyPath', () => {
  it.each([
    ['/api/v1/rack-proxy', true],
    ['/api/v1/rack-proxy/apps', true],
    ['/api/v1/rack-proxy?x=1', true],
    ['/api/v1/rack-proxyX/apps', false],
    ['/api/v1/users', false],
  ])('%s → %s', (url, expected) => {
    expect(isRackProxyPath(url)).toBe(expected);
  });
});
