import { stripRackProxyPrefix } from './rack-proxy-prefix';

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
