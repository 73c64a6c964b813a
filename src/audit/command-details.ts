import type { IncomingHttpHeaders } from 'node:http';
import type { Redactor } from './redaction';

/**
 * What the audit keeps of a proxied call that starts a command. `convox run` sends every option as a
 * header of `POST /apps/{app}/services/{service}/processes`: the command line, the pod's extra
 * environment (a url-encoded `K=V&…` map), the image, the release and whether the pod is privileged.
 * An auditor first asks what was run: the command is kept with env values and passwords cut out, the
 * environment as its variable names only.
 */
export function commandDetailsOf(headers: IncomingHttpHeaders, redactor: Redactor): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const command = single(headers.command);
  if (command !== undefined) details.command = redactor.command(command);
  const environment = single(headers.environment);
  if (environment) details.environmentKeys = [...new Set(new URLSearchParams(environment).keys())].sort();
  for (const [header, key] of OPTION_HEADERS) {
    const value = single(headers[header]);
    if (value !== undefined) details[key] = redactor.text(value);
  }
  return details;
}

/** `convox run` options worth a reviewer's eye that carry no secrets. */
const OPTION_HEADERS: [string, string][] = [
  ['image', 'image'],
  ['release', 'release'],
  ['privileged', 'privileged'],
];

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
