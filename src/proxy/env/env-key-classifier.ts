/**
 * Which env keys are secret (values hidden from callers without `convox:secret:read`, changes need
 * `convox:secret:set`) and which are protected (nobody may change them through the gateway). One
 * classifier for every path, built from the built-in name patterns, CONVOX_SECRET_ENV_VARS /
 * CONVOX_PROTECTED_ENV_VARS (the `env.*` settings), and the app's own `env.app_*_keys` settings.
 */
export interface EnvKeyClassifier {
  isSecret(key: string): boolean;
  isProtected(key: string): boolean;
}

/** Names that carry credentials by convention, matched on the upper-cased key. */
const BUILT_IN_SECRET_PATTERNS: readonly RegExp[] = [
  /SECRET/,
  /TOKEN/,
  /PASSWORD/,
  /PASSWD/,
  /CREDENTIAL/,
  /PRIVATE_KEY/,
  /(^|_)KEY$/,
  /_KEY_ID$/,
  /(^|_)DATABASE_URL$/,
];

export interface EnvKeyLists {
  secretKeys: readonly string[];
  protectedKeys: readonly string[];
}

export function envKeyClassifier(global: EnvKeyLists, app: EnvKeyLists): EnvKeyClassifier {
  const secret = namePredicate([...global.secretKeys, ...app.secretKeys]);
  const isProtected = namePredicate([...global.protectedKeys, ...app.protectedKeys]);
  return {
    isSecret: (key) => {
      const upper = key.trim().toUpperCase();
      return BUILT_IN_SECRET_PATTERNS.some((pattern) => pattern.test(upper)) || secret(upper);
    },
    isProtected: (key) => isProtected(key.trim().toUpperCase()),
  };
}

/** Configured names match case-insensitively; `*` is a wildcard (`STRIPE_*`). */
function namePredicate(names: readonly string[]): (upperKey: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const raw of names) {
    const name = raw.trim().toUpperCase();
    if (!name) continue;
    if (!name.includes('*')) exact.add(name);
    else globs.push(new RegExp(`^${name.split('*').map(escapeRegExp).join('.*')}$`));
  }
  return (key) => exact.has(key) || globs.some((glob) => glob.test(key));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
