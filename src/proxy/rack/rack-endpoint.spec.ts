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
    expect(
      rackFailure(
        Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      ).getResponse(),
    ).toEqual({
      error: 'rack certificate verification failed',
    });
  });
});
