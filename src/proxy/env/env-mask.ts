/**
 * The one placeholder shown instead of a hidden env value, everywhere the gateway hides one. Sending it back
 * unchanged (the CLI's read-modify-write of the whole env) means "keep the current value".
 */
export const ENV_MASK = '********************';

/** What the caller is shown for one env value: the value, a partly masked copy, or ENV_MASK. */
export type EnvValueView = (key: string, value: string) => string;

/**
 * Replaces the value of every line by what `view` shows of it. Line structure, order and lines without `=`
 * are left exactly as they were, so the CLI parses the masked text as it would the original.
 */
export function maskEnvText(text: string, view: EnvValueView): string {
  return text
    .split('\n')
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return line;
      const key = line.slice(0, at).trim();
      return key ? `${line.slice(0, at)}=${view(key, line.slice(at + 1))}` : line;
    })
    .join('\n');
}
