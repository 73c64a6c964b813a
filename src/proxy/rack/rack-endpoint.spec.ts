import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { pinnedIdentityCheck, rackEndpointFrom, rackPathFor } from './rack-endpoint';
import { rackFailure, RackTimeoutError } from './rack-failure';

const rack = { username: 'convox', name: 'r', timeoutMs: 1000 };

describe('rack endpoint', () => {
  it('keeps a RACK_URL path prefix and forwards the raw query untouched', () => {
    const endpoint = rackEndpointFrom({ ...rack, url: 'http://127.0.0.1:5443/prefix', token: 'pw' })!;
    expect(endpoint.authorization).toBe(`Basic ${Buffer.from('convox:pw').toString('base64')}`);
    expect(endpoint.origin).toBe('http://127.0.0.1:5443');
    expect(rackPathFor(endpoint, '/apps/a/releases', 'limit=1&x=%2F')).toBe(
      '/prefix/apps/a/releases?limit=1&x=%2F',
    );
    expect(rackPathFor(endpoint, '/apps', '')).toBe('/prefix/apps');
    expect(rackEndpointFrom({ ...rack })).toBeNull();
  });

  it('accepts only the pinned certificate (DER SHA-256, colons and case ignored)', () => {
    const raw = Buffer.from('certificate bytes');
    const pin = createHash('sha256').update(raw).digest('hex').toUpperCase().match(/../g)!.join(':');
    const check = pinnedIdentityCheck(pin);
    expect(check('api', { raw } as PeerCertificate)).toBeUndefined();
    expect(check('api', { raw: Buffer.from('another') } as PeerCertificate)).toBeInstanceOf(Error);
  });

  it('maps failures to 502/504 in the CLI error shape', () => {
    expect(
      rackFailure(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      ).getResponse(),
    ).toEqual({
      error: 'rack unreachable: ECONNREFUSED',
    });
    expect(rackFailure(new RackTimeoutError(500)).getStatus()).toBe(504);
  });

  it("names the TLS problem without echoing Node's message (which can carry host names)", () => {
    const failure = (code: string, message = 'host rack.internal.example 10.0.0.7') =>
      rackFailure(Object.assign(new Error(message), { code }));
    expect(failure('DEPTH_ZERO_SELF_SIGNED_CERT').getResponse()).toEqual({
      error:
        'rack certificate verification failed: self-signed certificate is not trusted (add it to RACK_CA_FILE)',
    });
    expect(failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE').getResponse()).toEqual({
      error:
        'rack certificate verification failed: issuer is not trusted (set RACK_CA_FILE to the CA that signed it)',
    });
    expect(failure('ERR_TLS_CERT_ALTNAME_INVALID').getResponse()).toEqual({
      error: "rack certificate verification failed: certificate does not name RACK_URL's host",
    });
    expect(failure('CERT_REVOKED').getResponse()).toEqual({
      error: 'rack certificate verification failed: CERT_REVOKED',
    });
    expect(failure('ERR_SSL_WRONG_VERSION_NUMBER').getResponse()).toEqual({
      error: 'rack TLS handshake failed: ERR_SSL_WRONG_VERSION_NUMBER',
    });
    expect(failure('ERR_SSL_WRONG_VERSION_NUMBER').getStatus()).toBe(502);
  });

  it('reports a pin mismatch as such', () => {
    const mismatch = pinnedIdentityCheck('00'.repeat(32))('api', {
      raw: Buffer.from('x'),
    } as PeerCertificate);
    expect(rackFailure(mismatch).getResponse()).toEqual({
      error: 'rack certificate verification failed: fingerprint does not match RACK_TLS_PIN_SHA256',
    });
  });
});
