import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK } from './env-mask';
import { maskSecretsInValue } from './secret-value-masking';

// Parameter and config names are not env keys, so the env key lists (global and per app) do not apply to
// them; the built-in credential-name patterns (PASSWORD, SECRET, TOKEN, ..._KEY) do.
const CREDENTIAL_NAMES = envKeyClassifier(
  { secretKeys: [], protectedKeys: [] },
  { secretKeys: [], protectedKeys: [] },
);

/**
 * The env rule for one named value the rack returns outside an env (a resource or rack parameter, an app
 * config): hidden whole when its name looks secret, otherwise with its credential-shaped parts hidden.
 * Anything but a string is left as it is.
 */
export function maskNamedValue(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return CREDENTIAL_NAMES.isSecret(name) ? ENV_MASK : maskSecretsInValue(value);
}

/** A `{name: value}` map (resource or rack `parameters`) with `maskNamedValue` applied to each entry. */
export function maskParameterMap(parameters: unknown): unknown {
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return parameters;
  return Object.fromEntries(
    Object.entries(parameters as Record<string, unknown>).map(([name, value]) => [
      name,
      maskNamedValue(name, value),
    ]),
  );
}
