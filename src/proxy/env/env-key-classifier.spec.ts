import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK, maskEnvText } from './env-mask';
import { hiddenKeyPredicate, maskReleaseEnv } from './release-env-masking';

const none = { secretKeys: [], protectedKeys: [] };

describe('env key classification and masking', () => {
  const classifier = envKeyClassifier(
    { secretKeys: ['SENTRY_DSN'], protectedKeys: ['port'] },
    { secretKeys: ['stripe_*'], protectedKeys: [] },
  );

  it.each([
    ['STRIPE_API_KEY', true],
    ['SECRET_KEY_BASE', true],
    ['GITHUB_TOKEN', true],
    ['DB_PASSWORD', true],
    ['DATABASE_URL', true],
    ['AWS_ACCESS_KEY_ID', true],
    ['sentry_dsn', true],
    ['STRIPE_PUBLISHABLE', true],
    ['NODE_ENV', false],
    ['KEYBOARD_LAYOUT', false],
    ['PORT', false],
  ])('%s is secret: %s', (key, secret) => {
    expect(classifier.isSecret(key)).toBe(secret);
  });

  it('matches protected names case-insensitively', () => {
    expect(classifier.isProtected('PORT')).toBe(true);
    expect(envKeyClassifier(none, none).isProtected('PORT')).toBe(false);
  });

  it('masks values but keeps keys, order and odd lines', () => {
    expect(maskEnvText('B=2\nnot a pair\nA_TOKEN=x=y', (key) => key === 'A_TOKEN')).toBe(
      `B=2\nnot a pair\nA_TOKEN=${ENV_MASK}`,
    );
  });

  it('hides everything without env:read, secrets without secret:read, nothing with both', () => {
    const release = { id: 'R1', env: 'NODE_ENV=production\nAPI_TOKEN=t' };
    const hideAll = hiddenKeyPredicate({ canReadEnv: false, canReadSecrets: false }, classifier);
    const hideSecrets = hiddenKeyPredicate({ canReadEnv: true, canReadSecrets: false }, classifier);
    const hideNone = hiddenKeyPredicate({ canReadEnv: true, canReadSecrets: true }, classifier);
    expect(maskReleaseEnv([release], hideAll)).toEqual([
      { id: 'R1', env: `NODE_ENV=${ENV_MASK}\nAPI_TOKEN=${ENV_MASK}` },
    ]);
    expect(maskReleaseEnv(release, hideSecrets)).toEqual({
      id: 'R1',
      env: `NODE_ENV=production\nAPI_TOKEN=${ENV_MASK}`,
    });
    expect(maskReleaseEnv(release, hideNone)).toEqual(release);
  });
});
