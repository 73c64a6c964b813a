import type { CliEnvironment } from '../cli/cli-environment';
import type { ClientConfig } from '../config/client-config';
import { normalizeGatewayUrl } from './gateway-url';
import { ENVIRONMENT_RACK_LABEL, requireCredential, resolveGatewayTarget } from './rack-resolution';

const config: ClientConfig = {
  current: 'staging',
  racks: {
    staging: {
      url: 'https://gw-staging.example.com',
      token: 'staging-token',
      expiresAt: '2099-01-01T00:00:00Z',
      email: 's@x.io',
    },
    production: { url: 'gw-prod.example.com/', token: 'prod-token', email: 'p@x.io' },
    loggedout: { url: 'https://gw-out.example.com' },
  },
};
const env = (extra: Partial<CliEnvironment> = {}): CliEnvironment => ({ home: '/home/dev', ...extra });

describe('resolveGatewayTarget', () => {
  it('uses --rack before RACK_GATEWAY_RACK before the current rack', () => {
    expect(resolveGatewayTarget('production', env({ rack: 'loggedout' }), config).rackName).toBe(
      'production',
    );
    expect(resolveGatewayTarget(undefined, env({ rack: 'loggedout' }), config).rackName).toBe('loggedout');
    expect(resolveGatewayTarget(undefined, env(), config).rackName).toBe('staging');
  });

  it('normalises the stored URL', () => {
    expect(resolveGatewayTarget('production', env(), config).url).toBe('https://gw-prod.example.com');
  });

  it('lets RACK_GATEWAY_URL replace the URL and RACK_GATEWAY_API_TOKEN the session token', () => {
    const target = resolveGatewayTarget(
      undefined,
      env({ gatewayUrl: 'http://127.0.0.1:8080', apiToken: 'rgw_ci' }),
      config,
    );
    expect(target).toMatchObject({
      rackName: 'staging',
      url: 'http://127.0.0.1:8080',
      token: 'rgw_ci',
      tokenSource: 'environment',
    });
  });

  it('works with no config at all when RACK_GATEWAY_URL and RACK_GATEWAY_API_TOKEN are set (CI)', () => {
    const target = resolveGatewayTarget(undefined, env({ gatewayUrl: 'https://gw.ci', apiToken: 'rgw_ci' }), {
      racks: {},
    });
    expect(target).toMatchObject({ rackName: ENVIRONMENT_RACK_LABEL, url: 'https://gw.ci', token: 'rgw_ci' });
  });

  it('explains how to log in when no rack is selected', () => {
    expect(() => resolveGatewayTarget(undefined, env(), { racks: {} })).toThrow(
      /no rack selected; run: rack-gateway login/,
    );
  });

  it('names the known racks when the selected one is unknown', () => {
    expect(() => resolveGatewayTarget('qa', env(), config)).toThrow(
      /unknown rack "qa" \(known racks: loggedout, production, staging\)/,
    );
  });
});

describe('requireCredential', () => {
  it('refuses a rack without a token and says how to log in', () => {
    const target = resolveGatewayTarget('loggedout', env(), config);
    expect(() => requireCredential(target)).toThrow(
      'not logged in to rack "loggedout"; run: rack-gateway login loggedout',
    );
  });

  it('refuses a locally expired session', () => {
    const target = { ...resolveGatewayTarget('staging', env(), config), expiresAt: '2020-01-01T00:00:00Z' };
    expect(() => requireCredential(target)).toThrow('session expired, run: rack-gateway login staging');
  });

  it('accepts an unexpired session', () => {
    expect(requireCredential(resolveGatewayTarget('staging', env(), config)).token).toBe('staging-token');
  });
});

describe('normalizeGatewayUrl', () => {
  it.each([
    ['gw.example.com', 'https://gw.example.com'],
    ['https://gw.example.com///', 'https://gw.example.com'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000'],
    ['https://example.com/gateway/', 'https://example.com/gateway'],
  ])('turns %s into %s', (input, expected) => {
    expect(normalizeGatewayUrl(input)).toBe(expected);
  });

  it('rejects other schemes', () => {
    expect(() => normalizeGatewayUrl('ftp://gw')).toThrow(/must be http or https/);
  });
});
