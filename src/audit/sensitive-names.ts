/**
 * Which field, header, query-parameter and env-key names hold secrets. Names are split into words
 * (`clientSecret`, `client_secret`, `X-Client-Secret` → client, secret) so that a word list decides
 * instead of loose substrings: `keys` (a list of env key names) is not `key`, `sessionId` is an id.
 */

/** Words that mark a value as secret wherever they appear in a name. */
const SECRET_WORDS = new Set([
  'authorization',
  'auth',
  'cookie',
  'cookies',
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'key',
  'apikey',
  'privatekey',
  'credential',
  'credentials',
  'signature',
  'bearer',
  'jwt',
  'verifier',
  'otp',
  'totp',
  'csrf',
  'session',
  'dsn',
]);

/** Run-together spellings (`apitoken`, `x-amz-security-token` is covered by words) found inside one word. */
const SECRET_FRAGMENTS = [
  'passw',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'authoriz',
  'credential',
  'cookie',
];

/**
 * A name whose last word says it describes a secret without being one (`tokenId`, `sessionId`, `keyName`,
 * `secretKeys`, `tokenExpiresAt`). These are what an audit reader needs to see.
 */
const DESCRIPTOR_WORDS = new Set([
  'id',
  'ids',
  'name',
  'names',
  'count',
  'type',
  'kind',
  'keys',
  'at',
  'via',
  'source',
]);

/** Names that are secret on their own: the OAuth authorization code and state. */
const EXACT_SECRET_NAMES = new Set(['code', 'state', 'private-key']);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** A matcher for secret names, with the operator's extra names (`AUDIT_REDACT_EXTRA_KEYS`) added. */
export function sensitiveNameMatcher(extraNames: readonly string[] = []): (name: string) => boolean {
  const extra = new Set(extraNames.map((name) => name.trim().toLowerCase()).filter((name) => name !== ''));
  return (name: string): boolean => {
    const lower = name.toLowerCase();
    if (extra.has(lower) || EXACT_SECRET_NAMES.has(lower)) return true;
    const words = nameWords(name);
    if (words.length === 0) return false;
    if (DESCRIPTOR_WORDS.has(words[words.length - 1]) && words.length > 1) return false;
    if (words.some((word) => SECRET_WORDS.has(word))) return true;
    return words.some((word) => SECRET_FRAGMENTS.some((fragment) => word.includes(fragment)));
  };
}
