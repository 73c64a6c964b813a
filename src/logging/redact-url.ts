import { defaultRedactor } from '../audit/redaction';

/** Blanks secret query parameters (OAuth `code`/`state`, tokens, keys) with the audit log's redaction rules. */
export function redactUrl(url: string): string {
  return defaultRedactor.url(url);
}
