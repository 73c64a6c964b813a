import { ENV_MASK } from './env-mask';
import { maskResources } from './resource-masking';

describe('maskResources', () => {
  it('hides the URL password and secret parameters, in lists and single objects', () => {
    const resource = {
      name: 'database',
      type: 'postgres',
      url: 'postgres://app:pg-pass@database:5432/app',
      status: 'running',
      parameters: { version: '16', password: 'pg-pass', api_token: 'tok', storage: 20 },
      apps: [{ name: 'myapp' }],
    };
    const masked = {
      ...resource,
      url: `postgres://app:${ENV_MASK}@database:5432/app`,
      parameters: { version: '16', password: ENV_MASK, api_token: ENV_MASK, storage: 20 },
    };
    expect(maskResources(resource)).toEqual(masked);
    expect(maskResources([resource, resource])).toEqual([masked, masked]);
    expect(resource.url).toBe('postgres://app:pg-pass@database:5432/app');
  });

  it('leaves resources without credentials and odd shapes as they are', () => {
    const redis = {
      name: 'cache',
      type: 'redis',
      url: 'redis://cache:6379/0',
      parameters: { version: '7.2' },
    };
    expect(maskResources(redis)).toEqual(redis);
    expect(maskResources(null)).toBeNull();
    expect(maskResources('text')).toBe('text');
    expect(maskResources({ name: 'x', parameters: ['a'] })).toEqual({
      name: 'x',
      parameters: ['a'],
    });
  });
});
