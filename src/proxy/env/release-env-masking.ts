import type { EnvKeyClassifier } from './env-key-classifier';
import { ENV_MASK, maskEnvText, type EnvValueView } from './env-mask';
import { maskSecretsInValue } from './secret-value-masking';

/** What the caller may see of env values. */
export interface EnvVisibility {
  /** `convox:env:read`: without it every value is hidden (keys stay visible). */
  canReadEnv: boolean;
  /** `convox:secret:read`: without it secret keys' values and credential-shaped parts of values are hidden. */
  canReadSecrets: boolean;
}

/**
 * The one masking rule for env values: nothing without `env:read`; without `secret:read` the whole value of
 * a secret key (by name) and the credential parts of any other value (by shape); everything with both.
 */
export function envValueView(visibility: EnvVisibility, classifier: EnvKeyClassifier): EnvValueView {
  if (!visibility.canReadEnv) return () => ENV_MASK;
  if (!visibility.canReadSecrets)
    return (key, value) => (classifier.isSecret(key) ? ENV_MASK : maskSecretsInValue(value));
  return (_key, value) => value;
}

/**
 * Masks the `env` text of a release object, or of every release in a list (the JSON of
 * `GET /apps/:app/releases[/:id]` and of the `POST` that creates one). Other values pass as they are.
 */
export function maskReleaseEnv(body: unknown, view: EnvValueView): unknown {
  if (Array.isArray(body)) return body.map((entry) => maskReleaseEnv(entry, view));
  if (body && typeof body === 'object' && typeof (body as { env?: unknown }).env === 'string') {
    const release = body as { env: string };
    return { ...release, env: maskEnvText(release.env, view) };
  }
  return body;
}
