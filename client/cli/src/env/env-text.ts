import { CliError } from '../cli/cli-error';

/**
 * Convox keeps a release's environment as one text blob: `KEY=VALUE` lines sorted by key, no trailing
 * newline. Lines are split on the first `=`, the key trimmed, the value kept verbatim; lines without
 * `=` are dropped, exactly as the rack does.
 */
export function parseEnvText(text: string | undefined): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const equals = line.indexOf('=');
    if (equals < 0) continue;
    const key = line.slice(0, equals).trim();
    if (key) env.set(key, line.slice(equals + 1));
  }
  return env;
}

export function formatEnvText(env: Map<string, string>): string {
  return [...env.keys()]
    .sort()
    .map((key) => `${key}=${env.get(key)}`)
    .join('\n');
}

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Parses `KEY=VALUE` command arguments; a malformed one is an error naming it. */
export function parseAssignments(args: string[]): Map<string, string> {
  const assignments = new Map<string, string>();
  for (const arg of args) {
    const equals = arg.indexOf('=');
    const key = equals < 0 ? '' : arg.slice(0, equals);
    if (!KEY_PATTERN.test(key)) throw new CliError(`"${arg}" is not KEY=VALUE`);
    assignments.set(key, arg.slice(equals + 1));
  }
  return assignments;
}

/** A new environment with `changes` applied over `current` (the input maps are not modified). */
export function mergeEnv(current: Map<string, string>, changes: Map<string, string>): Map<string, string> {
  const merged = new Map(current);
  for (const [key, value] of changes) merged.set(key, value);
  return merged;
}

export function removeKeys(current: Map<string, string>, keys: string[]): Map<string, string> {
  const remaining = new Map(current);
  for (const key of keys) remaining.delete(key);
  return remaining;
}
