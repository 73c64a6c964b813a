import { HttpException } from '@nestjs/common';
import { planEnvChange, type EnvChangeRights } from './env-change-plan';
import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK } from './env-mask';

const classifier = envKeyClassifier(
  { secretKeys: ['CUSTOM_*'], protectedKeys: ['PORT'] },
  { secretKeys: [], protectedKeys: [] },
);
const current = new Map([
  ['NODE_ENV', 'production'],
  ['PORT', '3000'],
  ['API_TOKEN', 'real-token'],
  ['RABBITMQ_URL', 'amqp://app:real-pass@mq:5672'],
  ['GITHUB_PAT', 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
]);
const ALL: EnvChangeRights = { canSetEnv: true, canSetSecrets: true };
const ENV_ONLY: EnvChangeRights = { canSetEnv: true, canSetSecrets: false };

function refusal(fn: () => unknown): { status: number; error: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpException)
      return { status: error.getStatus(), error: (error.getResponse() as { error: string }).error };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planEnvChange', () => {
  it('keeps the current value where the mask comes back and reports only real changes', () => {
    const plan = planEnvChange(
      current,
      new Map([
        ['NODE_ENV', 'staging'],
        ['PORT', '3000'],
        ['API_TOKEN', ENV_MASK],
        ['RABBITMQ_URL', `amqp://app:${ENV_MASK}@mq:5672`],
        ['GITHUB_PAT', ENV_MASK],
        ['NEW_FLAG', 'on'],
      ]),
      classifier,
      ENV_ONLY,
    );
    expect(plan.env.get('API_TOKEN')).toBe('real-token');
    expect(plan.env.get('RABBITMQ_URL')).toBe('amqp://app:real-pass@mq:5672');
    expect(plan.env.get('GITHUB_PAT')).toBe('ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    expect(plan).toMatchObject({ added: ['NEW_FLAG'], changed: ['NODE_ENV'], removed: [] });
  });

  it('refuses protected keys first, for everyone', () => {
    expect(
      refusal(() =>
        planEnvChange(current, new Map([...current].filter(([key]) => key !== 'PORT')), classifier, ALL),
      ),
    ).toEqual({
      status: 403,
      error: 'permission denied: env var PORT is protected',
    });
  });

  it('needs env:set for any change and secret:set for a secret change', () => {
    const changed = new Map([...current, ['NODE_ENV', 'dev']]);
    expect(
      refusal(() => planEnvChange(current, changed, classifier, { canSetEnv: false, canSetSecrets: false }))
        .error,
    ).toBe('permission denied: convox:env:set');
    const secret = new Map([...current, ['CUSTOM_THING', 'x']]);
    expect(refusal(() => planEnvChange(current, secret, classifier, ENV_ONLY)).error).toBe(
      'permission denied: convox:secret:set',
    );
    expect(planEnvChange(current, secret, classifier, ALL).added).toEqual(['CUSTOM_THING']);
  });

  it('needs no permission when nothing changes, and refuses a mask with no value behind it', () => {
    expect(
      planEnvChange(current, current, classifier, { canSetEnv: false, canSetSecrets: false }).changed,
    ).toEqual([]);
    expect(
      refusal(() => planEnvChange(current, new Map([...current, ['GHOST', ENV_MASK]]), classifier, ALL))
        .status,
    ).toBe(400);
  });

  it('refuses a value that keeps a masked part but is not the masked view of the current value', () => {
    const moved = new Map([...current, ['RABBITMQ_URL', `amqp://app:${ENV_MASK}@attacker:5672`]]);
    const refused = refusal(() => planEnvChange(current, moved, classifier, ALL));
    expect(refused.status).toBe(400);
    expect(refused.error).toMatch(/RABBITMQ_URL still holds a masked part/);
    const replaced = new Map([...current, ['RABBITMQ_URL', 'amqp://app:new-pass@mq2:5672']]);
    expect(planEnvChange(current, replaced, classifier, ENV_ONLY).changed).toEqual(['RABBITMQ_URL']);
  });
});
