/**
 * A release's env is one text blob: `KEY=VALUE` lines sorted by key, joined with `\n`, no trailing
 * newline (spec §4). Parsing splits on the first `=` and drops lines without one, as the rack does.
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

export function formatEnvText(env: Map<string, string> | Record<string, string>): string {
  const entries = env instanceof Map ? [...env.entries()] : Object.entries(env);
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/**
 * The release description the rack writes when env changes: `env add:K change:K remove:K`, sorted.
 * Returns undefined when nothing changed, so the caller can fall back to another description.
 */
export function describeEnvChange(before: string, after: string): string | undefined {
  const previous = parseEnvText(before);
  const next = parseEnvText(after);
  const changes: string[] = [];
  for (const [key, value] of next) {
    if (!previous.has(key)) changes.push(`add:${key}`);
    else if (previous.get(key) !== value) changes.push(`change:${key}`);
  }
  for (const key of previous.keys()) if (!next.has(key)) changes.push(`remove:${key}`);
  if (changes.length === 0) return undefined;
  return `env ${changes.sort().join(' ')}`;
}
