import { errorBodyText, httpFailureMessage, networkFailureMessage } from './gateway-errors';

const session = { rackName: 'staging', tokenSource: 'session' as const };

describe('httpFailureMessage', () => {
  it('turns a 401 into the login hint for the rack', () => {
    expect(httpFailureMessage(401, '{"error":"unauthorized","message":"session expired"}', session)).toBe(
      'session expired, run: rack-gateway login staging',
    );
  });

  it('passes on what to do when the gateway asks for MFA, instead of the login hint', () => {
    const proxy = '{"error":"mfa_required: this action needs … add --mfa-code <code>"}';
    expect(httpFailureMessage(401, proxy, session)).toBe(
      'mfa_required: this action needs … add --mfa-code <code>',
    );
    const admin =
      '{"error":"mfa_verification_failed","message":"the code is wrong, expired or already used"}';
    expect(httpFailureMessage(401, admin, session)).toBe('the code is wrong, expired or already used');
  });

  it('says the API token was rejected when it came from the environment', () => {
    expect(
      httpFailureMessage(401, '{"error":"invalid token"}', { ...session, tokenSource: 'environment' }),
    ).toBe('the gateway rejected RACK_GATEWAY_API_TOKEN (invalid token)');
  });

  it('passes on the missing permission from a proxy 403', () => {
    expect(httpFailureMessage(403, '{"error":"permission denied: convox:env:set"}', session)).toBe(
      'permission denied: convox:env:set',
    );
  });

  it('uses the human message of an admin API 403', () => {
    expect(
      httpFailureMessage(
        403,
        '{"error":"forbidden","message":"missing permission gateway:user:read"}',
        session,
      ),
    ).toBe('missing permission gateway:user:read');
  });

  it('prefixes a 403 whose text does not mention the permission', () => {
    expect(httpFailureMessage(403, '{"error":"gateway:token:revoke"}', session)).toBe(
      'permission denied: gateway:token:revoke',
    );
  });

  it('prints rack errors as they come, JSON or plain text', () => {
    expect(httpFailureMessage(404, '{"error":"app not found: foo"}', session)).toBe('app not found: foo');
    expect(httpFailureMessage(400, 'invalid release\n', session)).toBe('invalid release');
    expect(httpFailureMessage(404, '', session)).toBe('request failed with HTTP 404');
  });

  it('marks server-side failures', () => {
    expect(httpFailureMessage(502, '{"error":"rack unreachable"}', session)).toBe(
      'gateway error (HTTP 502): rack unreachable',
    );
  });
});

describe('errorBodyText', () => {
  it('shortens huge bodies such as HTML error pages', () => {
    expect(errorBodyText('x'.repeat(2000))?.length).toBe(501);
  });
});

describe('networkFailureMessage', () => {
  it('names the gateway URL and the reason from the cause chain', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(networkFailureMessage('https://gw.example.com', error)).toBe(
      'cannot reach the gateway at https://gw.example.com: connection refused',
    );
  });

  it('falls back to the innermost message', () => {
    const error = new TypeError('fetch failed', { cause: new Error('bad port') });
    expect(networkFailureMessage('http://127.0.0.1:9', error)).toBe(
      'cannot reach the gateway at http://127.0.0.1:9: bad port',
    );
  });
});
