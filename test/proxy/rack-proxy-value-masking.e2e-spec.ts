import { ENV_MASK } from '../../src/proxy/env/env-mask';
import { cliAuth, startProxyStack, type ProxyStack, type RoleName } from './proxy-stack';

interface Release {
  id: string;
  env: string;
}
interface Resource {
  name: string;
  url: string;
  parameters?: Record<string, string>;
}

const envOf = (text: string): Record<string, string> =>
  Object.fromEntries(text.split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));

// What the seeded worker-app and rack resources hold (src/dev/mock-rack/state/seed-*.ts).
const REAL = {
  RABBITMQ_URL: 'amqp://guest:mock-amqp-pass@rabbitmq.internal:5672',
  SENTRY_DSN: 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42',
  GITHUB_PAT: 'ghp_MockRackWorkerPat0000000000000000000',
  DOCS_URL: 'https://docs.example.com/worker',
};
const SHOWN = {
  RABBITMQ_URL: `amqp://guest:${ENV_MASK}@rabbitmq.internal:5672`,
  SENTRY_DSN: `https://${ENV_MASK}@o1.ingest.sentry.io/42`,
  GITHUB_PAT: ENV_MASK,
  DOCS_URL: REAL.DOCS_URL,
};
const SECRETS = ['mock-amqp-pass', '0123456789abcdef0123456789abcdef', 'ghp_MockRack', 'jobs-db-mock-5c2a'];

describe('rack proxy: credentials hidden by value in env, release and resource answers', () => {
  let stack: ProxyStack;

  beforeAll(async () => {
    stack = await startProxyStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const get = async (role: RoleName, path: string) => {
    const response = await fetch(`${stack.proxyUrl}${path}`, {
      headers: { authorization: cliAuth(stack.tokens[role]) },
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as unknown };
  };

  const latestEnv = async (role: RoleName, app = 'worker-app') => {
    const list = await get(role, `/apps/${app}/releases?limit=1`);
    expect(list.status).toBe(200);
    const [first] = list.json() as Release[];
    const detail = await get(role, `/apps/${app}/releases/${first.id}?`);
    expect(detail.status).toBe(200);
    return {
      list: envOf(first.env),
      detail: envOf((detail.json() as Release).env),
      text: list.text + detail.text,
    };
  };

  it.each(['ops', 'deployer'] as const)(
    'shows %s the env with the credentials in values masked',
    async (role) => {
      const { list, detail, text } = await latestEnv(role);
      expect(list).toMatchObject(SHOWN);
      expect(detail).toMatchObject(SHOWN);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    },
  );

  it('shows an admin (convox:secret:read) every value as the rack holds it', async () => {
    const { detail } = await latestEnv('admin');
    expect(detail).toMatchObject(REAL);
  });

  it.each(['ops', 'deployer'] as const)(
    'masks the database password in %s resource answers',
    async (role) => {
      const appList = await get(role, '/apps/worker-app/resources');
      expect(appList.status).toBe(200);
      expect(appList.json()).toEqual([
        expect.objectContaining({ name: 'jobs-db', url: `postgres://jobs:${ENV_MASK}@jobs-db:5432/jobs` }),
      ]);
      const myapp = (await get(role, '/apps/myapp/resources/database')).json() as Resource;
      expect(myapp.url).toBe(`postgres://myapp:${ENV_MASK}@database:5432/myapp`);
      // A resource without credentials stays as it is.
      expect(((await get(role, '/apps/myapp/resources/cache')).json() as Resource).url).toBe(
        'redis://cache:6379/0',
      );
      for (const secret of SECRETS) expect(appList.text).not.toContain(secret);
    },
  );

  it('masks rack-level resources too (url and secret parameters) and shows them to an admin', async () => {
    // Ops and deployers hold resource:list/read; the admin also sees the rack-level answers unmasked.
    const listed = await get('ops', '/resources');
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain('mock-shared-pass');
    const shared = (await get('ops', '/resources/shared-postgres')).json() as Resource;
    expect(shared.url).toBe(
      `postgres://shared:${ENV_MASK}@shared-postgres.dev-rack.svc.cluster.local:5432/app`,
    );
    expect(shared.parameters).toEqual({ version: '16', storage: '20', password: ENV_MASK });
    const real = (await get('admin', '/resources/shared-postgres')).json() as Resource;
    expect(real.parameters?.password).toBe('mock-shared-pass');
    expect(real.url).toContain('mock-shared-pass');
  });

  const postEnv = (role: RoleName, env: Record<string, string>) =>
    fetch(`${stack.proxyUrl}/apps/worker-app/releases?`, {
      method: 'POST',
      headers: {
        authorization: cliAuth(stack.tokens[role]),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        env: Object.entries(env)
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      }).toString(),
    });

  it('keeps the real values when a deployer sends value-masked ones back, and masks the answer', async () => {
    const { detail: masked } = await latestEnv('deployer');
    const created = await postEnv('deployer', { ...masked, FEATURE_Y: 'on' });
    expect(created.status).toBe(200);
    const createdText = await created.text();
    expect(envOf((JSON.parse(createdText) as Release).env)).toMatchObject(SHOWN);
    for (const secret of SECRETS) expect(createdText).not.toContain(secret);
    const { detail: real } = await latestEnv('admin');
    expect(real).toMatchObject({ ...REAL, FEATURE_Y: 'on' });
  });

  it('refuses a value that keeps the masked password but points elsewhere', async () => {
    const { detail: masked } = await latestEnv('deployer');
    const moved = await postEnv('deployer', {
      ...masked,
      RABBITMQ_URL: `amqp://guest:${ENV_MASK}@attacker.example.com:5672`,
    });
    expect(moved.status).toBe(400);
    expect(((await moved.json()) as { error: string }).error).toContain(
      'RABBITMQ_URL still holds a masked part',
    );
    expect((await latestEnv('admin')).detail.RABBITMQ_URL).toBe(REAL.RABBITMQ_URL);
  });
});
