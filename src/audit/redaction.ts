import { sensitiveNameMatcher } from './sensitive-names';

/**
 * The one redaction used by the audit log and the application logger. It works on names (a field,
 * header, query parameter or env key that looks secret loses its value) and on shapes (credentials
 * that look like credentials are cut out of any text, whatever field carries them).
 */
export const REDACTED = '[REDACTED]';

const MAX_DEPTH = 8;
const MAX_STRING = 2000;

/** Credentials recognisable by their shape, wherever they appear in free text. */
const SECRET_SHAPES: readonly RegExp[] = [
  // Gateway API tokens and anything after an auth scheme.
  /rgw_[A-Za-z0-9_-]{8,}/g,
  // The `Token` scheme is also this product's everyday word ("token github-deploy (ci@…)" in a
  // notification): only a credential-looking word after it goes, long and with a digit in it. One
  // expression for all three schemes: every audited string passes each shape once.
  /\b(?:(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}|Token\s+(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,})/gi,
  // JSON web tokens.
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // Session tokens and other 256-bit base64url secrets: exactly 43 characters standing alone.
  /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  // Private key blocks.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** `scheme://user:password@host` — the password part. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

export interface Redactor {
  isSensitiveName(name: string): boolean;
  /** Deep copy of a JSON-like value with secret fields blanked and secret shapes cut out of strings. */
  value(input: unknown): unknown;
  /** Secret shapes and URL passwords cut out of one piece of free text. */
  text(input: string): string;
  /** Headers with secret ones blanked (Authorization, Cookie, X-Api-Key, configured extras …). */
  headers(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]>;
  /** A URL or path with secret query parameters blanked and secret shapes removed. */
  url(input: string): string;
  /** `KEY=value` env text: every value is blanked (which keys changed is all the audit log keeps). */
  envText(input: string): string;
  /** A shell command (`convox exec/run`): secret flags, `NAME=value` prefixes, URL passwords, tokens. */
  command(input: string): string;
}

export function createRedactor(extraNames: readonly string[] = []): Redactor {
  const isSensitiveName = sensitiveNameMatcher(extraNames);

  const text = (input: string): string => {
    let out = input.length > MAX_STRING ? `${input.slice(0, MAX_STRING)}…` : input;
    for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
    // `NAME=value` inside free text (env lines, form bodies, shell prefixes) whose name looks secret.
    out = out.replace(/\b([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s&;]+)/g, (whole, name: string) =>
      isSensitiveName(name) ? `${name}=${REDACTED}` : whole,
    );
    return out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  };

  const value = (input: unknown, depth = 0): unknown => {
    if (typeof input === 'string') return text(input);
    if (input === null || typeof input !== 'object') {
      return typeof input === 'number' || typeof input === 'boolean'
        ? input
        : input === null
          ? null
          : undefined;
    }
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input as Record<string, unknown>)) {
      if (item === undefined) continue;
      out[key] = isSensitiveName(key) ? REDACTED : value(item, depth + 1);
    }
    return out;
  };

  const query = (search: string): string =>
    search
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
        if (eq < 0) return isSensitiveName(name) ? name : text(pair);
        return isSensitiveName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : text(pair);
      })
      .join('&');

  const url = (input: string): string => {
    const queryStart = input.indexOf('?');
    if (queryStart < 0) return text(input);
    return `${text(input.slice(0, queryStart))}?${query(input.slice(queryStart + 1))}`;
  };

  const headers = (input: Record<string, string | string[] | undefined>) => {
    const out: Record<string, string | string[]> = {};
    for (const [name, item] of Object.entries(input)) {
      if (item === undefined) continue;
      const sensitive = isSensitiveName(name) || /^(x-)?(api-)?(auth|key)/i.test(name);
      out[name] = sensitive ? REDACTED : Array.isArray(item) ? item.map(text) : text(item);
    }
    return out;
  };

  const envText = (input: string): string =>
    input
      .split(/\r?\n/)
      .map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? text(line) : `${line.slice(0, eq)}=${REDACTED}`;
      })
      .join('\n');

  const command = (input: string): string => {
    let out = redactEnvAssignments(text(input));
    // `-p secret` (mysql and friends: the password) and `-u user:password` (curl, wget).
    out = out.replace(/(^|\s)-p\s+(?!-)("[^"]*"|'[^']*'|\S+)/g, `$1-p ${REDACTED}`);
    out = out.replace(/(^|\s)(-u\s*|--user[=\s]+)("?[^\s:"]+):("[^"]*"|'[^']*'|\S+)/g, `$1$2$3:${REDACTED}`);
    // `--password=x`, `--token x`, `-H 'Authorization: …'` style flags.
    out = out.replace(
      /(--?[A-Za-z][\w-]*)(=|\s+)("[^"]*"|'[^']*'|\S+)/g,
      (whole, flag: string, sep: string) =>
        isSensitiveName(flag.replace(/^-+/, '')) ? `${flag}${sep}${REDACTED}` : whole,
    );
    // `NAME=value` assignments (env prefixes, make variables) whose name looks secret.
    out = out.replace(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]+)/g, (whole, name: string) =>
      isSensitiveName(name) ? `${name}=${REDACTED}` : whole,
    );
    // Header lines passed as arguments: `Authorization: …`, `Cookie: …`.
    return out.replace(/\b([A-Za-z][\w-]*):\s*([^'"\n]+)/g, (whole, name: string) =>
      isSensitiveName(name) ? `${name}: ${REDACTED}` : whole,
    );
  };

  return { isSensitiveName, value: (input) => value(input), text, headers, url, envText, command };
}

/**
 * The values of environment assignments that set up a command — `FOO=x cmd`, `env FOO=x cmd`,
 * `export FOO=x`, the same after `;`, `&&`, `|` or inside `sh -c '…'` — whatever their names: an env value
 * is as likely a credential as not, and which variables were set is what an auditor needs. Arguments such
 * as `rake db:migrate VERBOSE=true` are not environment and stay readable (secret-looking names still go).
 */
const ENV_PREFIX =
  /(^|[;&|(`'"]\s*|\b(?:env|export)\s+(?:-\S+\s+)*)((?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s;&|'"`]*)(?:\s+|$|(?=[;&|)])))+)/g;
const ENV_ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|'"`]*)/g;

function redactEnvAssignments(input: string): string {
  return input.replace(
    ENV_PREFIX,
    (_whole, lead: string, assignments: string) =>
      `${lead}${assignments.replace(ENV_ASSIGNMENT, `$1=${REDACTED}`)}`,
  );
}

/** The redactor with only the built-in rules, for code that has no configuration at hand (the logger). */
export const defaultRedactor = createRedactor();

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
