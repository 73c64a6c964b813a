import { maskParameterMap } from './named-value-masking';
import { maskSecretsInValue } from './secret-value-masking';

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
  if ('parameters' in resource) resource.parameters = maskParameterMap(resource.parameters);
  return resource;
}
