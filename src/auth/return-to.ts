/** Where a login lands when no (valid) `returnTo` was given. */
export const DEFAULT_RETURN_TO = '/api/v1/me';

/**
 * Accepts only a same-origin absolute path: one leading `/`, then no second `/` or `\` (which browsers
 * read as a protocol-relative URL), no control characters or spaces, and nothing that parses as another
 * origin. Everything else falls back to the default, so an attacker cannot turn login into an open redirect.
 */
export function safeReturnTo(candidate: unknown, fallback = DEFAULT_RETURN_TO): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) return fallback;
  if (!candidate.startsWith('/')) return fallback;
  if (candidate.startsWith('//') || candidate.startsWith('/\\')) return fallback;
  // Control characters, spaces and backslashes never belong in a path we generate links to.
  if (/[\u0000-\u0020\u007f\\]/.test(candidate)) return fallback;
  const base = 'http://return-to.invalid';
  let parsed: URL;
  try {
    parsed = new URL(candidate, base);
  } catch {
    return fallback;
  }
  if (parsed.origin !== base) return fallback;
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
