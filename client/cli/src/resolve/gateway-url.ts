import { CliError } from '../cli/cli-error';

/** Adds `https://` when no scheme is given and drops trailing slashes, so URLs compare and join cleanly. */
export function normalizeGatewayUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new CliError(`"${input}" is not a valid gateway URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`the gateway URL must be http or https, got "${input}"`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
