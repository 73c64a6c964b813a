/**
 * The console's policy: only our own scripts, and only with this response's nonce on the tags the page
 * ships; styles the same (Mantine's runtime style tags carry the nonce too); no framing, no plugins, no
 * <base> tricks, and fetches only to this origin.
 */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
