import { MAX_PATH_LENGTH, parseProxyTarget, PathRejectedError } from './path-safety';

function rejection(raw: string): string {
  try {
    parseProxyTarget(raw);
  } catch (error) {
    if (error instanceof PathRejectedError) return error.reason;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('parseProxyTarget', () => {
  it.each([
    ['/apps?', { path: '/apps', query: '' }],
    ['/apps', { path: '/apps', query: '' }],
    ['/apps/web/releases?limit=1', { path: '/apps/web/releases', query: 'limit=1' }],
    ['/apps/web/objects/tmp/0a1b.tgz?', { path: '/apps/web/objects/tmp/0a1b.tgz', query: '' }],
    ['/registries/quay.io:443/team', { path: '/registries/quay.io:443/team', query: '' }],
    [
      '/apps/web/processes/p1/files?file=/etc/a%20b',
      { path: '/apps/web/processes/p1/files', query: 'file=/etc/a%20b' },
    ],
    ['/v2/team/app/manifests/sha256:abc', { path: '/v2/team/app/manifests/sha256:abc', query: '' }],
    ['/apps/web/builds/B1.tgz', { path: '/apps/web/builds/B1.tgz', query: '' }],
  ])('accepts %s unchanged', (raw, expected) => {
    expect(parseProxyTarget(raw)).toEqual(expected);
  });

  it('forwards the query string untouched, escapes and all', () => {
    expect(parseProxyTarget('/apps/web/objects?prefix=a%2Fb&x=%2e%2e').query).toBe('prefix=a%2Fb&x=%2e%2e');
  });

  it.each([
    ['', 'empty path'],
    ['?limit=1', 'empty path'],
    ['/', 'empty path'],
    ['apps', 'path must start with /'],
    ['/apps%2fweb', 'encoded slash'],
    ['/apps%2Fweb', 'encoded slash'],
    ['/apps/%2e%2e/system', 'encoded dot'],
    ['/apps/%2E', 'encoded dot'],
    ['/apps/web%5cx', 'encoded backslash'],
    ['/apps/web%00', 'encoded NUL'],
    ['/apps/%252e%252e', 'double encoding'],
    ['/apps/%61pp', 'percent-escape not allowed'],
    ['/apps/web%', 'percent-escape not allowed'],
    ['/apps/%c0%ae%c0%ae', 'percent-escape not allowed'],
    ['/apps/../system', 'dot segment'],
    ['/apps/./web', 'dot segment'],
    ['/apps/web/..', 'dot segment'],
    ['/apps/web.', 'segment ends with a dot'],
    ['/apps//web', 'empty segment (//)'],
    ['//apps', 'empty segment (//)'],
    ['/apps\\web', 'backslash'],
    ['/apps;x=1/web', 'matrix parameter (;)'],
    ['/apps/web\u0000', 'control character'],
    ['/apps/web\n', 'control character'],
    ['/apps/web\u007f', 'control character'],
    ['/apps/wéb', 'non-ASCII character'],
    ['/apps/web#frag', 'character not allowed: #'],
    ['/apps/web?x=1#frag', 'fragment in request target'],
    ['/apps/web?x=%00', 'encoded NUL in query'],
    ['/apps/we b', 'character not allowed:  '],
    ['/apps/<script>', 'character not allowed: <'],
    [`/${'a'.repeat(MAX_PATH_LENGTH)}`, `path longer than ${MAX_PATH_LENGTH} characters`],
  ])('rejects %j: %s', (raw, reason) => {
    expect(rejection(raw)).toBe(reason);
  });

  it('names the reason in the error message the CLI prints', () => {
    expect(() => parseProxyTarget('/apps/../x')).toThrow('invalid path: dot segment');
  });
});
