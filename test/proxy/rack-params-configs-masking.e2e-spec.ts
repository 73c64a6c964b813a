import { ENV_MASK } from '../../src/proxy/env/env-mask';
import { cliAuth, startProxyStack, type ProxyStack, type RoleName } from './proxy-stack';

interface Config {
  name: string;
  value: string;
}

// What the seeded rack holds (src/dev/mock-rack/state/seed-rack.ts) and the configs this test sets.
const REAL_PARAMETERS = {
  node_type: 't3.large',
  RegistryPassword: 'mock-registry-pass',
  notification_url: 'https://hooks:mock-hook-pass@notify.example.com/rack',
};
const SHOWN_PARAMETERS = {
  node_type: 't3.large',
  RegistryPassword: ENV_MASK,
  notification_url: `https://hooks:${ENV_MASK}@notify.example.com/rack`,
};
const REAL_CONFIGS: Config[] = [
  { name: 'api-token', value: 'plain-config-token-4f1d' },
  { name: 'upstream', value: 'postgres://app:config-db-pass-93ae@db.internal:5432/app' },
  { name: 'cli-env-mask', value: 'STRIPE_KEY,DATABASE_URL' },
];
const SHOWN_CONFIGS: Config[] = [
  { name: 'api-token', value: ENV_MASK },
  { name: 'upstream', value: `postgres://app:${ENV_MASK}@db.internal:5432/app` },
  { name: 'cli-env-mask', value: 'STRIPE_KEY,DATABASE_URL' },
];
const SECRETS = ['mock-registry-pass', 'mock-hook-pass', 'plain-config-token-4f1d', 'config-db-pass-93ae'];

describe('rack proxy: credentials hidden in rack parameters and app configs', () => {
  let stack: ProxyStack;

  beforeAll(async () => {
    stack = await startProxyStack();
    for (const config of REAL_CONFIGS) {
      const response = await fetch(`${stack.proxyUrl}/apps/myapp/configs/${config.name}`, {
        method: 'PUT',
        headers: {
          authorization: cliAuth(stack.tokens.admin),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ value: Buffer.from(config.value).toString('base64') }).toString(),
      });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await stack.close();
  });

  const get = async (role: RoleName, path: string) => {
    const response = await fetch(`${stack.proxyUrl}${path}`, {
      headers: { authorization: cliAuth(stack.tokens[role]) },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    return { text, json: JSON.parse(text) as unknown };
  };

  it('shows ops the rack parameters (`convox rack params`) with credentials masked by name and by value', async () => {
    const { text, json } = await get('ops', '/system');
    expect((json as { parameters: unknown }).parameters).toMatchObject(SHOWN_PARAMETERS);
    expect(json).toMatchObject({ name: 'dev-rack', version: expect.any(String) as unknown });
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('shows an admin (convox:secret:read) the rack parameters as the rack holds them', async () => {
    const { json } = await get('admin', '/system');
    expect((json as { parameters: unknown }).parameters).toMatchObject(REAL_PARAMETERS);
  });

  it('shows ops app configs, listed and one by one, with credentials masked', async () => {
    const list = await get('ops', '/apps/myapp/configs');
    expect(list.json).toEqual(expect.arrayContaining(SHOWN_CONFIGS));
    for (const config of SHOWN_CONFIGS) {
      expect((await get('ops', `/apps/myapp/configs/${config.name}`)).json).toEqual(config);
    }
    for (const secret of SECRETS) expect(list.text).not.toContain(secret);
  });

  it('shows an admin app configs as the rack holds them', async () => {
    expect((await get('admin', '/apps/myapp/configs')).json).toEqual(expect.arrayContaining(REAL_CONFIGS));
    expect((await get('admin', '/apps/myapp/configs/api-token')).json).toEqual(REAL_CONFIGS[0]);
  });

  it('passes a missing config’s 404 through as the rack wrote it (the CLI reads it as "no mask")', async () => {
    const response = await fetch(`${stack.proxyUrl}/apps/myapp/configs/nothing-here`, {
      headers: { authorization: cliAuth(stack.tokens.ops) },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('app config not found: nothing-here');
  });
});
