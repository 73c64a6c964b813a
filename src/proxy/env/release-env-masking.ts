import type { EnvKeyClassifier } from './env-key-classifier';
import { maskEnvText } from './env-mask';

/** What the caller may see of env values. */
export interface EnvVisibility {
  /** `convox:env:read`: without it every value is hidden (keys stay visible). */
  canReadEnv: boolean;
  /** `convox:secret:read`: without it the values of secret keys are hidden. */
  canReadSecrets: boolean;
}

export function hiddenKeyPredicate(
  visibility: EnvVisibility,
  classifier: EnvKeyClassifier,
): (key: string) => boolean {
  if (!visibility.canReadEnv) return () => true;
  if (!visibility.canReadSecrets) return (key) => classifier.isSecret(key);
  return () => false;
}

/**
 * Masks the `env` text of a release object, or of every release in a list (the JSON of
 * `GET /apps/:app/releases[/:id]` and of the `POST` that creates one). Other values pass as they are.
 */
export function maskReleaseEnv(body: unknown, hide: (key: string) => boolean): unknown {
  if (Array.isArray(body)) return body.map((entry) => maskReleaseEnv(entry, hide));
  if (body && typeof body === 'object' && typeof (body as { env?: unknown }).env === 'string') {
    const release = body as { env: string };
    return { ...release, env: maskEnvText(release.env, hide) };
  }
  return body;
}
