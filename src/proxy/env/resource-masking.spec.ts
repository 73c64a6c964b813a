import { envKeyClassifier } from './env-key-classifier';
import { ENV_MASK } from './env-mask';
import { maskResources } from './resource-masking';

const classifier = envKeyClassifier(
  { secretKeys: ['ADMIN_NAME'], protectedKeys: [] },
  { secretKeys: [], protectedKeys: [] },
);

describe('maskResources', () => {
  it('hides the URL password and secret parameters, in lists and single objects', () => {
    const resource = {
      name: 'database',
      type: 'postgres',
      url: 'postgres://app:pg-pass@database:5432/app',
      status: 'running',
      parameters: { version: '16', password: 'pg-pass', admin_name: 'root', storage: 20 },
      apps: [{ name: 'myapp' }],
    };
    const masked = {
      ...resource,
      url: `postgres://app:${ENV_MASK}@database:5432/app`,
      parameters: { version: '16', password: ENV_MASK, admin_name: ENV_MASK, storage: 20 },
    };
    expect(maskResources(resource, classifier)).toEqual(masked);
    expect(maskResources([resource, resource], classifier)).toEqual([masked, masked]);
    expect(resource.url).toBe('postgres://app:pg-pass@database:5432/app');
  });

  it('leaves resources without credentials and odd shapes as they are', () => {
    const redis = {
      name: 'cache',
      type: 'redis',
      url: 'redis://cache:6379/0',
      parameters: { version: '7.2' },
    };
    expect(maskResources(redis, classifier)).toEqual(redis);
    expect(maskResources(null, classifier)).toBeNull();
    expect(maskResources('text', classifier)).toBe('text');
    expect(maskResources({ name: 'x', parameters: ['a'] }, classifier)).toEqual({
      name: 'x',
      parameters: ['a'],
    });
  });
});
