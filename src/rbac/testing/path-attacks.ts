import type { IncomingHttpHeaders } from 'node:http';

/**
 * Encodings and tricks aimed at routes a viewer must not reach (the Kubernetes API, env changes, app
 * deletion, node shells, rack credentials). Each must be refused — 400 when the target or method is unsafe,
 * 403 when it is well-formed but not an allowed route or permission. The few that parse and are allowed
 * must be allowed only for a route the viewer holds, with the forwarded path exactly the path matched.
 *
 * One table, two tests: `src/rbac/path-attacks.spec.ts` asks the authorizer directly (for viewer and admin),
 * `test/proxy/path-attacks.e2e-spec.ts` sends every row through the real gateway byte for byte and checks
 * what the mock rack received. A row added here is covered by both with no new test code.
 */
export interface PathAttack {
  name: string;
  method: string;
  target: string;
  expect: 400 | 403 | 'allowed';
  headers?: IncomingHttpHeaders;
  websocket?: boolean;
  /**
   * Only where the real gateway answers differently because the bytes on the wire never reach the
   * authorizer as written (the rack must still receive nothing): 404 when the target is not under the proxy
   * prefix at all, 403 when node's HTTP parser ends the target early, 'closed' when node drops the request
   * unanswered.
   */
  overTheWire?: 403 | 404 | 'closed';
}

export const PATH_ATTACKS: readonly PathAttack[] = [
  // Dot segments, raw and encoded
  {
    name: 'raw ../ to the Kubernetes API',
    method: 'GET',
    target: '/apps/../kubernetes/api/v1/secrets',
    expect: 400,
  },
  { name: '%2e%2e segment', method: 'GET', target: '/apps/%2e%2e/kubernetes/api', expect: 400 },
  { name: '%2E%2E upper-case escapes', method: 'GET', target: '/apps/%2E%2E/kubernetes', expect: 400 },
  { name: 'half-encoded .%2e', method: 'GET', target: '/apps/.%2e/kubernetes', expect: 400 },
  { name: '%2e single dot', method: 'GET', target: '/apps/%2e/web', expect: 400 },
  { name: 'trailing /.. ', method: 'DELETE', target: '/apps/web/..', expect: 400 },
  { name: 'leading /./', method: 'GET', target: '/./kubernetes', expect: 400 },
  {
    name: 'dot segments inside an object key',
    method: 'POST',
    target: '/apps/web/objects/tmp/../../../system/jwt/token',
    expect: 400,
  },
  {
    name: 'encoded dots inside an object key',
    method: 'POST',
    target: '/apps/web/objects/tmp/%2e%2e/x',
    expect: 400,
  },
  // Encoded separators
  { name: '%2f encoded slash', method: 'GET', target: '/apps%2f..%2fkubernetes', expect: 400 },
  { name: '%2F upper-case encoded slash', method: 'DELETE', target: '/apps/web%2Fprocesses', expect: 400 },
  { name: '..%2f mixed traversal', method: 'GET', target: '/apps/..%2fkubernetes', expect: 400 },
  { name: '%5c encoded backslash', method: 'GET', target: '/apps/%5c..%5ckubernetes', expect: 400 },
  { name: 'raw backslashes', method: 'GET', target: '/apps\\..\\kubernetes', expect: 400 },
  { name: 'double-encoded %252e%252e', method: 'GET', target: '/apps/%252e%252e/kubernetes', expect: 400 },
  { name: 'double-encoded %252f', method: 'GET', target: '/apps/web%252f..', expect: 400 },
  { name: 'encoded letters (%61pps)', method: 'DELETE', target: '/%61pps/web', expect: 400 },
  // Overlong UTF-8 and non-ASCII
  { name: 'overlong UTF-8 dots %c0%ae', method: 'GET', target: '/apps/%c0%ae%c0%ae/kubernetes', expect: 400 },
  { name: 'overlong UTF-8 slash %c0%af', method: 'GET', target: '/apps/..%c0%afkubernetes', expect: 400 },
  {
    name: 'three-byte overlong dot %e0%80%ae',
    method: 'GET',
    target: '/apps/%e0%80%ae%e0%80%ae/x',
    expect: 400,
  },
  {
    name: 'raw overlong bytes (latin-1 view)',
    method: 'GET',
    target: '/apps/\u00c0\u00ae\u00c0\u00ae/kubernetes',
    expect: 400,
  },
  { name: 'full-width solidus', method: 'GET', target: '/apps\uff0f..\uff0fkubernetes', expect: 400 },
  { name: 'Unicode dot lookalike', method: 'DELETE', target: '/apps/web\u2024', expect: 400 },
  // Empty segments and slashes
  { name: 'leading //', method: 'GET', target: '//kubernetes/api', expect: 400 },
  { name: 'inner //', method: 'DELETE', target: '/apps//web', expect: 400 },
  { name: '// before ..', method: 'GET', target: '/apps//../kubernetes', expect: 400 },
  { name: 'empty target', method: 'GET', target: '', expect: 400 },
  { name: 'query only', method: 'GET', target: '?x=/kubernetes', expect: 400 },
  {
    name: 'no leading slash',
    method: 'GET',
    target: 'kubernetes/api',
    expect: 400,
    // On the wire this is `/api/v1/rack-proxykubernetes/api`: not the proxy, so the gateway's own 404.
    overTheWire: 404,
  },
  // Case and trailing characters
  { name: 'mixed-case Kubernetes', method: 'GET', target: '/Kubernetes/api', expect: 403 },
  { name: 'upper-case APPS for create', method: 'POST', target: '/APPS', expect: 403 },
  { name: 'mixed-case System/Jwt/Token', method: 'POST', target: '/System/Jwt/Token', expect: 403 },
  { name: 'trailing dot on an app', method: 'DELETE', target: '/apps/web.', expect: 400 },
  { name: 'trailing dot on a route', method: 'POST', target: '/system/jwt/token.', expect: 400 },
  { name: 'trailing slash', method: 'DELETE', target: '/apps/web/', expect: 403 },
  {
    name: 'trailing space',
    method: 'DELETE',
    target: '/apps/web ',
    expect: 400,
    // A raw space ends the request target: node parses `DELETE /apps/web`, which a viewer may not do.
    overTheWire: 403,
  },
  // Matrix parameters, NUL, control characters, fragments
  { name: 'semicolon matrix parameter', method: 'GET', target: '/apps;/kubernetes', expect: 400 },
  { name: 'jsessionid-style suffix', method: 'DELETE', target: '/apps/web;jsessionid=1', expect: 400 },
  { name: 'raw NUL', method: 'DELETE', target: '/apps/web\u0000/x', expect: 400 },
  { name: 'encoded NUL', method: 'GET', target: '/apps/web%00/../kubernetes', expect: 400 },
  { name: 'raw tab', method: 'GET', target: '/apps/\tweb', expect: 400 },
  {
    name: 'CRLF header injection',
    method: 'GET',
    target: '/apps\r\nX-HTTP-Method-Override: DELETE',
    expect: 400,
  },
  { name: 'encoded CRLF', method: 'GET', target: '/apps%0d%0aHost:%20evil', expect: 400 },
  { name: 'fragment with traversal', method: 'GET', target: '/apps/web#/../../kubernetes', expect: 400 },
  { name: 'NUL in query', method: 'GET', target: '/apps/web?x=%00', expect: 400 },
  { name: 'overlong path', method: 'GET', target: `/apps/${'a'.repeat(3000)}`, expect: 400 },
  // Methods and overrides
  {
    name: 'X-HTTP-Method-Override: DELETE',
    method: 'POST',
    target: '/apps/web',
    expect: 400,
    headers: { 'x-http-method-override': 'DELETE' },
  },
  {
    name: 'X-Method-Override: DELETE',
    method: 'GET',
    target: '/apps/web',
    expect: 400,
    headers: { 'x-method-override': 'DELETE' },
  },
  {
    name: 'X-HTTP-Method: PUT',
    method: 'GET',
    target: '/system',
    expect: 400,
    headers: { 'x-http-method': 'PUT' },
  },
  { name: 'lower-case method', method: 'delete', target: '/apps/web', expect: 400 },
  { name: 'TRACE', method: 'TRACE', target: '/apps', expect: 400 },
  {
    name: 'CONNECT',
    method: 'CONNECT',
    target: '/proxy/db/5432',
    expect: 400,
    // Node's HTTP server hands CONNECT to a `connect` listener; with none it closes the connection unanswered.
    overTheWire: 'closed',
  },
  { name: 'WebDAV PROPFIND', method: 'PROPFIND', target: '/apps', expect: 400 },
  {
    name: 'pseudo-method SOCKET sent as a method',
    method: 'SOCKET',
    target: '/instances/i1/shell',
    expect: 400,
  },
  { name: 'pseudo-method ANY sent as a method', method: 'ANY', target: '/v2/x', expect: 400 },
  {
    name: 'websocket upgrade with POST',
    method: 'POST',
    target: '/apps/web/logs',
    expect: 400,
    websocket: true,
  },
  // Well-formed but not a route the viewer may use
  { name: 'plain GET to the node shell socket', method: 'GET', target: '/instances/i1/shell', expect: 403 },
  {
    name: 'node shell websocket',
    method: 'GET',
    target: '/instances/i1/shell',
    expect: 403,
    websocket: true,
  },
  {
    name: 'exec websocket',
    method: 'GET',
    target: '/apps/web/processes/p1/exec',
    expect: 403,
    websocket: true,
  },
  { name: 'legacy env route', method: 'POST', target: '/apps/web/environment', expect: 403 },
  { name: 'Kubernetes API straight', method: 'GET', target: '/kubernetes/', expect: 403 },
  { name: 'env change via a release', method: 'POST', target: '/apps/web/releases?env=A%3D1', expect: 403 },
  { name: 'mint a rack JWT', method: 'POST', target: '/system/jwt/token?role=admin', expect: 403 },
  { name: 'HEAD on a GET route', method: 'HEAD', target: '/apps', expect: 403 },
  {
    name: 'cluster HTTP proxy',
    method: 'GET',
    target: '/custom/http/proxy/kubernetes.default.svc/api',
    expect: 403,
  },
  // Parses and is allowed — but only as the harmless route it really is
  {
    name: 'traversal hidden in the query',
    method: 'GET',
    target: '/apps/web?x=/../../kubernetes',
    expect: 'allowed',
  },
  { name: 'encoded slash in the query', method: 'GET', target: '/apps?prefix=a%2f..%2f', expect: 'allowed' },
];
