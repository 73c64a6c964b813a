import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK } from './env-mask';
import { maskSecretsInValue } from './secret-value-masking';

// Parameter names are not env keys, so the env key lists (global and per app) do not apply to them; the
// built-in credential-name patterns (PASSWORD, SECRET, TOKEN, ..._KEY) do.
const PARAMETER_NAMES = envKeyClassifier(
  { secretKeys: [], protectedKeys: [] },
  { secretKeys: [], protectedKeys: [] },
);

/**
 * Resource answers (`Resource` objects, alone or in a list) carry the same credentials as the env the rack
 * injects from them: `url` is the app's DATABASE_URL-style connection string, and `parameters` may hold a
 * password. For a caller without `convox:secret:read` they get the env rule: a parameter whose name looks
 * secret is hidden whole, any other string has its credential-shaped parts hidden. Names, types, status and
 * the host/port of `url` stay visible (`convox resources proxy` connects to that host and port).
 */
export function maskResources(body: unknown): unknown {
  if (Array.isArray(body)) return body.map((entry) => maskResources(entry));
  if (!body || typeof body !== 'object') return body;
  const resource = { ...(body as Record<string, unknown>) };
  if (typeof resource.url === 'string') resource.url = maskSecretsInValue(resource.url);
  const parameters = resource.parameters;
  if (parameters && typeof parameters === 'object' && !Array.isArray(parameters)) {
    resource.parameters = Object.fromEntries(
      Object.entries(parameters as Record<string, unknown>).map(([name, value]) => [
        name,
        typeof value !== 'string'
          ? value
          : PARAMETER_NAMES.isSecret(name)
            ? ENV_MASK
            : maskSecretsInValue(value),
      ]),
    );
  }
  return resource;
}
