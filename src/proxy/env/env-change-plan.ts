import { AccessRefusal } from '../../access-control/access-refusal';
import type { EnvKeyClassifier } from './env-key-classifier';
import { ENV_MASK } from './env-mask';
import { maskSecretsInValue } from './secret-value-masking';

export interface EnvChangeRights {
  canSetEnv: boolean;
  canSetSecrets: boolean;
}

/** The env a release POST will really create, and which keys it changes (names only, for audit). */
export interface EnvChangePlan {
  env: Map<string, string>;
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * The posted env (the CLI always sends the whole env) against the current one. A value equal to the mask, or
 * to what the value rule shows of the current value (`amqp://app:<mask>@mq`), keeps the current value, so a
 * masked read → edit → write round-trip never clobbers what was hidden. Any other value still holding the
 * mask is refused: it would write the placeholder as a password, or move a hidden credential elsewhere
 * (`amqp://app:<mask>@attacker`). Then, in order: protected keys may not change at all; any change needs `convox:env:set`; a change to
 * a secret key needs `convox:secret:set`. Refusals name what is missing, as the CLI prints them.
 */
export function planEnvChange(
  current: ReadonlyMap<string, string>,
  posted: ReadonlyMap<string, string>,
  classifier: EnvKeyClassifier,
  rights: EnvChangeRights,
): EnvChangePlan {
  const env = new Map<string, string>();
  for (const [key, value] of posted) env.set(key, unmasked(key, value, current.get(key)));
  const added = [...env.keys()].filter((key) => !current.has(key)).sort();
  const changed = [...env.keys()]
    .filter((key) => current.has(key) && current.get(key) !== env.get(key))
    .sort();
  const removed = [...current.keys()].filter((key) => !env.has(key)).sort();
  const touched = [...added, ...changed, ...removed];

  const protectedKey = touched.find((key) => classifier.isProtected(key));
  if (protectedKey) {
    throw new AccessRefusal(
      'protected-key',
      { error: `permission denied: env var ${protectedKey} is protected` },
      { details: { key: protectedKey } },
    );
  }
  if (touched.length > 0 && !rights.canSetEnv) throw missing('convox:env:set');
  if (!rights.canSetSecrets && touched.some((key) => classifier.isSecret(key))) {
    throw missing('convox:secret:set');
  }
  return { env, added, changed, removed };
}

/** The value to store for a posted one: itself, or the current value it is a masked view of. */
function unmasked(key: string, posted: string, current: string | undefined): string {
  if (!posted.includes(ENV_MASK)) return posted;
  if (current === undefined) {
    throw invalid(`invalid env: ${key} was sent masked but has no current value`);
  }
  if (posted === ENV_MASK || posted === maskSecretsInValue(current)) return current;
  throw invalid(
    `invalid env: ${key} still holds a masked part but differs from the current value; send the whole new value`,
  );
}

function missing(permission: string): AccessRefusal {
  return new AccessRefusal(
    'missing-permission',
    { error: `permission denied: ${permission}` },
    { permission },
  );
}

function invalid(error: string): AccessRefusal {
  return new AccessRefusal('invalid-request', { error });
}
