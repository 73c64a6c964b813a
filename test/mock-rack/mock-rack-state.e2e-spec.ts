import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { rackJson, rackRequest } from './rack-client';

interface App {
  name: string;
  status: string;
  release: string;
}
interface Release {
  id: string;
  build: string;
  env: string;
  manifest: string;
  description: string;
}
interface Process {
  id: string;
  name: string;
  status: string;
  release: string;
  command: string;
  started: string;
}
interface Build {
  id: string;
  status: string;
  release: string;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('mock rack state changes', () => {
  let rack: MockRack;

  beforeAll(async () => {
    rack = await startMockRack({
      port: 0,
      password: 'state-password',
      buildDelayMs: 200,
      promoteDelayMs: 150,
    });
  });

  afterAll(() => rack.close());

  it('seeds releases with sorted env text, secrets, no trailing newline and R+10 letter ids', async () => {
    const [latest] = await rackJson<Release[]>(rack, 'GET', '/apps/myapp/releases?limit=1');
    expect(latest.id).toMatch(/^R[A-Z]{10}$/);
    const keys = latest.env.split('\n').map((line) => line.split('=')[0]);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'SECRET_KEY_BASE', 'STRIPE_API_KEY', 'PORT', 'NODE_ENV']),
    );
    expect(latest.env.endsWith('\n')).toBe(false);
    expect(latest.manifest).toContain('services:');
    const processes = await rackJson<Process[]>(rack, 'GET', '/apps/myapp/processes?');
    for (const p of processes) expect(new Date(p.started).toISOString()).toBeTruthy();
    expect(processes[0].started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('stores a posted env verbatim, describes the change and reads it back (env set)', async () => {
    const [parent] = await rackJson<Release[]>(rack, 'GET', '/apps/api/releases?limit=1');
    const env = parent.env.replace(/^PORT=.*$/m, 'PORT=9090').replace(/^RAILS_ENV=.*\n/m, '') + '\nZED=last';
    const created = await rackJson<Release>(rack, 'POST', '/apps/api/releases?', { env });
    expect(created.id).toMatch(/^R[A-Z]{10}$/);
    expect(created.env).toBe(env);
    expect(created.build).toBe(parent.build);
    expect(created.manifest).toBe(parent.manifest);
    expect(created.description).toBe('env add:ZED change:PORT remove:RAILS_ENV');
    const [latest] = await rackJson<Release[]>(rack, 'GET', '/apps/api/releases?limit=1');
    expect(latest.id).toBe(created.id);
    const detail = await rackJson<Release>(rack, 'GET', `/apps/api/releases/${created.id}?`);
    expect(detail.env).toBe(env);
    const app = await rackJson<App>(rack, 'GET', '/apps/api?');
    expect(app.release).toBe(parent.id);
  });

  it('promotes: the app is updating, then running on the new release with new pods', async () => {
    const created = await rackJson<Release>(rack, 'POST', '/apps/myapp/releases?', {
      env: 'NODE_ENV=staging',
    });
    const promote = await rackRequest(rack, 'POST', `/apps/myapp/releases/${created.id}/promote?`, {
      form: { force: 'false' },
    });
    expect(promote.text).toBe('ok\n');
    const during = await rackJson<App>(rack, 'GET', '/apps/myapp?');
    expect(during).toMatchObject({ status: 'updating', release: created.id });
    const busy = await rackRequest(rack, 'POST', `/apps/myapp/releases/${created.id}/promote?`);
    expect(busy.status).toBe(403);
    expect(busy.text).toBe('app is currently updating\n');
    const after = await waitFor(
      () => rackJson<App>(rack, 'GET', '/apps/myapp?'),
      (a) => a.status === 'running',
    );
    expect(after.release).toBe(created.id);
    const processes = await rackJson<Process[]>(rack, 'GET', '/apps/myapp/processes?');
    expect(processes.every((p) => p.release === created.id)).toBe(true);
  });

  it('refuses to promote a release with no manifest', async () => {
    const app = await rackJson<App>(rack, 'POST', '/apps?', { name: 'empty-app' });
    const response = await rackRequest(rack, 'POST', `/apps/empty-app/releases/${app.release}/promote?`);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/has no manifest/);
  });

  it('scales a service from form fields and the process list follows', async () => {
    const response = await rackRequest(rack, 'PUT', '/apps/worker-app/services/worker?', {
      form: { count: '4' },
    });
    expect(response.text).toBe('ok\n');
    const services = await rackJson<{ name: string; count: number }[]>(
      rack,
      'GET',
      '/apps/worker-app/services?',
    );
    expect(services.find((s) => s.name === 'worker')?.count).toBe(4);
    const processes = await rackJson<Process[]>(rack, 'GET', '/apps/worker-app/processes?service=worker');
    expect(processes).toHaveLength(4);
    await rackRequest(rack, 'PUT', '/apps/worker-app/services/worker?', { form: { count: '1' } });
    expect(await rackJson<Process[]>(rack, 'GET', '/apps/worker-app/processes?service=worker')).toHaveLength(
      1,
    );
    await waitFor(
      () => rackJson<App>(rack, 'GET', '/apps/worker-app?'),
      (a) => a.status === 'running',
    );
  });

  it('restarts a service by replacing its pods', async () => {
    const before = await rackJson<Process[]>(rack, 'GET', '/apps/api/processes?service=web');
    const response = await rackRequest(rack, 'POST', '/apps/api/services/web/restart?');
    expect(response.text).toBe('ok\n');
    const after = await rackJson<Process[]>(rack, 'GET', '/apps/api/processes?service=web');
    expect(after).toHaveLength(before.length);
    expect(after.map((p) => p.id)).not.toEqual(expect.arrayContaining(before.map((p) => p.id)));
  });

  it('runs a one-off process from headers, reports it running, and deletes it', async () => {
    const run = await rackRequest(rack, 'POST', '/apps/myapp/services/web/processes?', {
      headers: { Command: 'sleep 3600', Height: '40', Width: '120' },
    });
    expect(run.status).toBe(200);
    const process = JSON.parse(run.text) as Process;
    expect(process).toMatchObject({ name: 'web', status: 'running', command: 'sleep 3600' });
    const fetched = await rackJson<Process>(rack, 'GET', `/apps/myapp/processes/${process.id}?`);
    expect(fetched.status).toBe('running');
    expect((await rackRequest(rack, 'DELETE', `/apps/myapp/processes/${process.id}?`)).text).toBe('ok\n');
    const gone = await rackRequest(rack, 'GET', `/apps/myapp/processes/${process.id}?`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe(`process not found: ${process.id}\n`);
  });

  it('takes a build from created to complete with a promotable release', async () => {
    const upload = await rackRequest(rack, 'POST', '/apps/worker-app/objects/tmp/0123abcd.tgz?', {
      body: 'tarball',
    });
    const { Url } = JSON.parse(upload.text) as { Url: string };
    expect(Url).toBe('object://worker-app/tmp/0123abcd.tgz');
    const build = await rackJson<Build>(rack, 'POST', '/apps/worker-app/builds?', {
      url: Url,
      description: 'ci',
    });
    expect(build).toMatchObject({ status: 'created', release: '' });
    expect(build.id).toMatch(/^B[A-Z]{10}$/);
    const done = await waitFor(
      () => rackJson<Build>(rack, 'GET', `/apps/worker-app/builds/${build.id}?`),
      (b) => b.status === 'complete',
    );
    expect(done.status).toBe('complete');
    const release = await rackJson<Release>(rack, 'GET', `/apps/worker-app/releases/${done.release}?`);
    expect(release.build).toBe(build.id);
    expect(release.manifest).not.toBe('');
    expect((await rackRequest(rack, 'POST', `/apps/worker-app/releases/${release.id}/promote?`)).text).toBe(
      'ok\n',
    );
  });

  it('fails a build whose source object was never uploaded', async () => {
    const build = await rackJson<Build>(rack, 'POST', '/apps/myapp/builds?', {
      url: 'object://myapp/tmp/missing.tgz',
    });
    const done = await waitFor(
      () => rackJson<Build & { reason: string }>(rack, 'GET', `/apps/myapp/builds/${build.id}?`),
      (b) => b.status === 'failed',
    );
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/not found/);
  });

  it('creates and deletes apps', async () => {
    const app = await rackJson<App>(rack, 'POST', '/apps?', { name: 'fresh-app' });
    expect(app).toMatchObject({ name: 'fresh-app', status: 'running' });
    const names = (await rackJson<App[]>(rack, 'GET', '/apps?')).map((a) => a.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('fresh-app');
    expect((await rackRequest(rack, 'DELETE', '/apps/fresh-app?')).text).toBe('ok\n');
    const gone = await rackRequest(rack, 'GET', '/apps/fresh-app?');
    expect(gone.text).toBe('app not found: fresh-app\n');
  });

  it('records method, path, query and body size of what reached a handler', async () => {
    rack.clearRequests();
    await rackRequest(rack, 'POST', '/apps/myapp/releases?', { form: { env: 'A=1' } });
    await rackRequest(rack, 'GET', '/apps/myapp/releases?limit=2');
    expect(rack.requests).toHaveLength(2);
    expect(rack.requests[0]).toMatchObject({
      method: 'POST',
      path: '/apps/myapp/releases',
      query: '',
      bodyBytes: 9,
    });
    expect(rack.requests[1]).toMatchObject({ method: 'GET', query: 'limit=2', bodyBytes: 0 });
    expect(rack.requests[1].at).toBeInstanceOf(Date);
  });
});
