/**
 * The one placeholder shown instead of a hidden env value, everywhere the gateway hides one. Sending it back
 * unchanged (the CLI's read-modify-write of the whole env) means "keep the current value".
 */
export const ENV_MASK = '********************';

/**
 * Replaces the value of every line whose key `hide` selects. Line structure, order and lines without `=`
 * are left exactly as they were, so the CLI parses the masked text as it would the original.
 */
export function maskEnvText(text: string, hide: (key: string) => boolean): string {
  return text
    .split('\n')
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return line;
      const key = line.slice(0, at).trim();
      return key && hide(key) ? `${line.slice(0, at)}=${ENV_MASK}` : line;
    })
    .join('\n');
}
