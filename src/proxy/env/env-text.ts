/**
 * Convox env text: `KEY=VALUE` lines joined by `\n`. Parsed the way the rack and the CLI do: split on the
 * first `=`, trim the key, keep the value verbatim, drop lines without `=` or with an empty key. Insertion
 * order is kept; a later duplicate overwrites the value.
 */
export function parseEnvText(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    if (key) env.set(key, line.slice(at + 1));
  }
  return env;
}

/** The rack's canonical form: sorted by key, joined with `\n`, no trailing newline. */
export function formatEnvText(env: ReadonlyMap<string, string>): string {
  return [...env.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}
