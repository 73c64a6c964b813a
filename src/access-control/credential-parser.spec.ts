import { MalformedCredentialError, parseAuthorizationHeader, readCookie } from './credential-parser';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseAuthorizationHeader', () => {
  it('reads a Bearer token', () => {
    expect(parseAuthorizationHeader('Bearer rgw_abc')).toEqual({ secret: 'rgw_abc', source: 'header' });
    expect(parseAuthorizationHeader('bearer abc')?.secret).toBe('abc');
  });

  it('takes the Basic password, ignoring the user name, percent-decoded', () => {
    expect(parseAuthorizationHeader(basic('convox:rgw_abc'))?.secret).toBe('rgw_abc');
    expect(parseAuthorizationHeader(basic('anything:a%2Fb%3Dc'))?.secret).toBe('a/b=c');
  });

  it('returns undefined without a header', () => {
    expect(parseAuthorizationHeader(undefined)).toBeUndefined();
  });

  it.each([
    ['Digest abc', 'unsupported_authorization'],
    ['Bearer', 'malformed_authorization'],
    ['Bearer a b', 'malformed_authorization'],
    [basic('no-colon'), 'malformed_authorization'],
    [basic('convox:'), 'malformed_authorization'],
    [basic('convox:%E0%A4%A'), 'malformed_authorization'],
  ])('refuses %p as %s', (header, reason) => {
    expect(() => parseAuthorizationHeader(header)).toThrow(MalformedCredentialError);
    try {
      parseAuthorizationHeader(header);
    } catch (error) {
      expect((error as MalformedCredentialError).reason).toBe(reason);
    }
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('a=1; rgw_session=tok; b=2', 'rgw_session')).toBe('tok');
    expect(readCookie('rgw_session_x=1', 'rgw_session')).toBeUndefined();
    expect(readCookie(undefined, 'rgw_session')).toBeUndefined();
  });
});
