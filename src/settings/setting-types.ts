import { formatDuration, parseDuration } from './duration';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a setting's value is. Each kind has one JSON form (API and database) and one runtime form. */
export interface RuntimeOfKind {
  boolean: boolean;
  integer: number;
  /** Seconds. The JSON form is a duration text such as `15m`. */
  duration: number;
  enum: string;
  string: string;
  string_list: string[];
  /** Env key names, upper case, `*` as a wildcard. */
  pattern_list: string[];
  /** Name (or `*`) → regular expression text. */
  pattern_map: Record<string, string>;
}
export type SettingKind = keyof RuntimeOfKind;

export interface SettingType<K extends SettingKind = SettingKind> {
  readonly kind: K;
  /** What a valid value is, in words; 400 answers and docs/SETTINGS.md quote it. */
  readonly rule: string;
  /** The canonical JSON of a valid value, or undefined when `input` is not one. */
  normalize(input: unknown): Json | undefined;
  /** Environment variables are text: the value `normalize` should judge (booleans, numbers, JSON lists). */
  fromText(text: string): unknown;
  toRuntime(json: Json): RuntimeOfKind[K];
}

const isString = (value: unknown): value is string => typeof value === 'string';

export function booleanType(): SettingType<'boolean'> {
  const words: Record<string, boolean> = {
    true: true,
    false: false,
    '1': true,
    '0': false,
    on: true,
    off: false,
  };
  return {
    kind: 'boolean',
    rule: 'true or false',
    normalize: (input) => (typeof input === 'boolean' ? input : undefined),
    fromText: (text) => words[text.trim().toLowerCase()] ?? text,
    toRuntime: (json) => json === true,
  };
}

export function integerType(min: number, max: number): SettingType<'integer'> {
  return {
    kind: 'integer',
    rule: `a whole number from ${min} to ${max}`,
    normalize: (input) =>
      typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max
        ? input
        : undefined,
    fromText: (text) => (/^-?\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : text),
    toRuntime: (json) => json as number,
  };
}

/** `min` and `max` are duration texts, so the rule reads the way admins write values. */
export function durationType(min: string, max: string): SettingType<'duration'> {
  const low = parseDuration(min);
  const high = parseDuration(max);
  if (low === undefined || high === undefined) throw new Error(`bad duration bounds ${min}..${max}`);
  return {
    kind: 'duration',
    rule: `a duration (units s, m, h, d, e.g. 90s, 15m, 1h30m, 30d) from ${min} to ${max}`,
    normalize: (input) => {
      const seconds = isString(input) ? parseDuration(input.trim()) : undefined;
      return seconds !== undefined && seconds >= low && seconds <= high ? formatDuration(seconds) : undefined;
    },
    fromText: (text) => text,
    toRuntime: (json) => parseDuration(json as string) ?? 0,
  };
}

export function enumType(values: readonly string[]): SettingType<'enum'> {
  return {
    kind: 'enum',
    rule: `one of ${values.map((v) => `"${v}"`).join(', ')}`,
    normalize: (input) => (isString(input) && values.includes(input) ? input : undefined),
    fromText: (text) => text.trim(),
    toRuntime: (json) => json as string,
  };
}

/** A single line of text; `pattern` (with `patternRule` saying it in words) constrains non-empty values. */
export function stringType(pattern: RegExp, patternRule: string, maxLength: number): SettingType<'string'> {
  return {
    kind: 'string',
    rule: `empty, or ${patternRule} (at most ${maxLength} characters)`,
    normalize: (input) => {
      if (!isString(input)) return undefined;
      const text = input.trim();
      return text === '' || (text.length <= maxLength && pattern.test(text)) ? text : undefined;
    },
    fromText: (text) => text,
    toRuntime: (json) => json as string,
  };
}

/**
 * Lists are JSON arrays. From the environment a JSON array is read as such, anything else is split on
 * commas, so an entry that contains a comma (a shell command) needs the JSON form.
 */
function listFromText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return trimmed === '' ? [] : trimmed.split(',');
}

function normalizeList(
  input: unknown,
  maxItems: number,
  item: (entry: string) => string | undefined,
): string[] | undefined {
  if (!Array.isArray(input) || input.length > maxItems) return undefined;
  const out: string[] = [];
  for (const entry of input) {
    const normalized = isString(entry) ? item(entry.trim()) : undefined;
    if (normalized === undefined) return undefined;
    if (!out.includes(normalized)) out.push(normalized);
  }
  return out;
}

export function stringListType(maxItems: number, maxLength: number): SettingType<'string_list'> {
  return {
    kind: 'string_list',
    rule: `a list of at most ${maxItems} non-empty texts of at most ${maxLength} characters`,
    normalize: (input) =>
      normalizeList(input, maxItems, (entry) =>
        entry !== '' && entry.length <= maxLength && !/[\r\n\0]/.test(entry) ? entry : undefined,
      ),
    fromText: listFromText,
    toRuntime: (json) => json as string[],
  };
}

const ENV_KEY_PATTERN = /^[A-Z0-9_*]{1,128}$/;

/** Env key names matched case-insensitively, `*` as a wildcard (`STRIPE_*`); stored upper case. */
export function envKeyPatternListType(maxItems: number): SettingType<'pattern_list'> {
  return {
    kind: 'pattern_list',
    rule: `a list of at most ${maxItems} env key names (letters, digits, _; * as a wildcard)`,
    normalize: (input) =>
      normalizeList(input, maxItems, (entry) => {
        const upper = entry.toUpperCase();
        return ENV_KEY_PATTERN.test(upper) ? upper : undefined;
      }),
    fromText: listFromText,
    toRuntime: (json) => json as string[],
  };
}

const MAP_NAME = /^([a-z][a-z0-9-]{0,62}|\*)$/;

/** An object from names (or `*` for the rest) to regular expressions, each compiled to check it. */
export function patternMapType(maxEntries: number, maxLength: number): SettingType<'pattern_map'> {
  const validPattern = (value: unknown): value is string => {
    if (!isString(value) || value === '' || value.length > maxLength) return false;
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  };
  return {
    kind: 'pattern_map',
    rule: `an object of at most ${maxEntries} service names (or "*") to regular expressions of at most ${maxLength} characters`,
    normalize: (input) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
      const entries = Object.entries(input as Record<string, unknown>);
      if (entries.length > maxEntries) return undefined;
      if (!entries.every(([name, pattern]) => MAP_NAME.test(name) && validPattern(pattern))) return undefined;
      return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) as Record<string, string>;
    },
    fromText: (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
    toRuntime: (json) => json as Record<string, string>,
  };
}

// Deliberately plain: one @, no spaces or angle brackets (nothing a mail header could be split with).
const EMAIL_ADDRESS = /^[^\s@<>,;"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

/** Email addresses, stored lower case. */
export function emailListType(maxItems: number): SettingType<'string_list'> {
  return {
    kind: 'string_list',
    rule: `a list of at most ${maxItems} email addresses`,
    normalize: (input) =>
      normalizeList(input, maxItems, (entry) =>
        EMAIL_ADDRESS.test(entry) ? entry.toLowerCase() : undefined,
      ),
    fromText: listFromText,
    toRuntime: (json) => json as string[],
  };
}
