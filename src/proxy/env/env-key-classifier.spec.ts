import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK, maskEnvText } from './env-mask';
import { envValueView, maskReleaseEnv } from './release-env-masking';

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
    expect(
      maskEnvText('B=2\nnot a pair\nA_TOKEN=x=y', (key, value) => (key === 'A_TOKEN' ? ENV_MASK : value)),
    ).toBe(`B=2\nnot a pair\nA_TOKEN=${ENV_MASK}`);
  });

  it('hides everything without env:read, secrets without secret:read, nothing with both', () => {
    const release = {
      id: 'R1',
      env: 'NODE_ENV=production\nAPI_TOKEN=t\nRABBITMQ_URL=amqp://u:p@mq:5672\nGITHUB_PAT=ghp_AbCdEfGhIjKlMnOpQrStUvWxYz01',
    };
    const hideAll = envValueView({ canReadEnv: false, canReadSecrets: false }, classifier);
    const hideSecrets = envValueView({ canReadEnv: true, canReadSecrets: false }, classifier);
    const hideNone = envValueView({ canReadEnv: true, canReadSecrets: true }, classifier);
    expect(maskReleaseEnv([release], hideAll)).toEqual([
      {
        id: 'R1',
        env: `NODE_ENV=${ENV_MASK}\nAPI_TOKEN=${ENV_MASK}\nRABBITMQ_URL=${ENV_MASK}\nGITHUB_PAT=${ENV_MASK}`,
      },
    ]);
    // Secret by name hides the whole value; secret by shape hides the credential part only.
    expect(maskReleaseEnv(release, hideSecrets)).toEqual({
      id: 'R1',
      env: `NODE_ENV=production\nAPI_TOKEN=${ENV_MASK}\nRABBITMQ_URL=amqp://u:${ENV_MASK}@mq:5672\nGITHUB_PAT=${ENV_MASK}`,
    });
    expect(maskReleaseEnv(release, hideNone)).toEqual(release);
  });
});
