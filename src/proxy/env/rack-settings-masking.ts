import { maskNamedValue, maskParameterMap } from './named-value-masking';

/**
 * `GET /system`: the rack's `parameters` (what `convox rack params` prints) can hold credentials — a
 * registry or database password, a webhook URL with its token. For a caller without `convox:secret:read`
 * they get the env rule; name, version, status, outputs and the rest stay as the rack sent them.
 */
export function maskSystem(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const system = { ...(body as Record<string, unknown>) };
  if ('parameters' in system) system.parameters = maskParameterMap(system.parameters);
  return system;
}

/**
 * `GET /apps/:app/configs[/:name]` (`{name, value}`, alone or in a list): app configs are environment-like
 * and get the env rule by their name. The CLI's own `cli-env-mask` config (a list of key names) has no
 * credential shape and reads back unchanged.
 */
export function maskConfigs(body: unknown): unknown {
  if (Array.isArray(body)) return body.map((entry) => maskConfigs(entry));
  if (!body || typeof body !== 'object') return body;
  const config = { ...(body as Record<string, unknown>) };
  if (typeof config.name === 'string') config.value = maskNamedValue(config.name, config.value);
  return config;
}
