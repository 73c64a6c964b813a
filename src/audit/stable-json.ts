/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL will store it: NUL removed (TEXT cannot hold it) and lone surrogates replaced (UTF-8
 * cannot encode them). Hashing anything else would make a stored row impossible to re-verify.
 */
export function storableText(text: string, maxLength = 2000): string {
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  return cut.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
