/**
 * The one place that decides whether a proxied request target is safe to match and forward. It works on the
 * raw target (as the client sent it, never decoded) and rejects rather than repairs: the path we match must be
 * byte for byte the path the rack receives, so there is nothing for the rack to decode, clean or reinterpret
 * into a different route than the one we authorised.
 *
 * Percent-escapes: none are allowed in the path. Every Convox name (apps and services `[a-z0-9-]`, process,
 * build and release ids, the object keys the CLI generates, registry hosts) is plain ASCII that the convox
 * CLI sends unescaped, so an escape can only make our view of the path differ from the rack's decoded view
 * (`%2f` → `/`, `%2e%2e` → `..`, `%61pp` → `app`). The query string is not matched and is forwarded untouched;
 * it is only checked for raw control characters and encoded NUL.
 */
export class PathRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`invalid path: ${reason}`);
    this.name = 'PathRejectedError';
  }
}

export interface ProxyTarget {
  /** The path to match and to forward, exactly as received. */
  path: string;
  /** The raw query without the `?` ('' when absent or empty), forwarded untouched. */
  query: string;
}

export const MAX_PATH_LENGTH = 2048;
export const MAX_QUERY_LENGTH = 4096;

// Unreserved characters plus `/`, `:` (registry host:port, digests), `@`, `+`, `,`, `=` (registry paths).
const PATH_CHARACTER = /^[A-Za-z0-9\-._~/:@+,=]$/;

const NAMED_ESCAPES: Record<string, string> = {
  '%2f': 'encoded slash',
  '%5c': 'encoded backslash',
  '%2e': 'encoded dot',
  '%00': 'encoded NUL',
  '%25': 'double encoding',
};

export function parseProxyTarget(rawPathAndQuery: string): ProxyTarget {
  assertPrintableAscii(rawPathAndQuery);
  const mark = rawPathAndQuery.indexOf('?');
  const path = mark === -1 ? rawPathAndQuery : rawPathAndQuery.slice(0, mark);
  const query = mark === -1 ? '' : rawPathAndQuery.slice(mark + 1);
  assertSafePath(path);
  assertSafeQuery(query);
  return { path, query };
}

function assertPrintableAscii(raw: string): void {
  for (const char of raw) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) throw new PathRejectedError('control character');
    if (code > 0x7e) throw new PathRejectedError('non-ASCII character');
  }
}

function assertSafePath(path: string): void {
  if (path === '' || path === '/') throw new PathRejectedError('empty path');
  if (path.length > MAX_PATH_LENGTH)
    throw new PathRejectedError(`path longer than ${MAX_PATH_LENGTH} characters`);
  if (!path.startsWith('/')) throw new PathRejectedError('path must start with /');
  const escape = /%[0-9a-fA-F]{0,2}/.exec(path);
  if (escape) {
    throw new PathRejectedError(NAMED_ESCAPES[escape[0].toLowerCase()] ?? 'percent-escape not allowed');
  }
  if (path.includes('\\')) throw new PathRejectedError('backslash');
  if (path.includes(';')) throw new PathRejectedError('matrix parameter (;)');
  if (path.includes('//')) throw new PathRejectedError('empty segment (//)');
  for (const char of path) {
    if (!PATH_CHARACTER.test(char)) throw new PathRejectedError(`character not allowed: ${char}`);
  }
  for (const segment of path.split('/').slice(1)) {
    if (segment === '.' || segment === '..') throw new PathRejectedError('dot segment');
    // No Convox name ends in a dot; servers that strip trailing dots would see a different name.
    if (segment.endsWith('.')) throw new PathRejectedError('segment ends with a dot');
  }
}

function assertSafeQuery(query: string): void {
  if (query.length > MAX_QUERY_LENGTH)
    throw new PathRejectedError(`query longer than ${MAX_QUERY_LENGTH} characters`);
  if (query.includes('#')) throw new PathRejectedError('fragment in request target');
  if (/%00/.test(query)) throw new PathRejectedError('encoded NUL in query');
}
