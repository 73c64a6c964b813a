import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliGatewayStack } from './cli-gateway-stack';
import { startLoggedInCli } from './logged-in-cli';
import type { CliRunner } from './cli-runner';
import type { RackInspector } from './rack-inspector';

interface Named {
  name: string;
}

/** The native Convox commands that read and change apps, processes and the rack, through the gateway. */
describe('rack-gateway CLI: app and rack commands through the gateway', () => {
  let stack: CliGatewayStack;
  let cli: CliRunner;
  let rack: RackInspector;

  beforeAll(async () => {
    ({ stack, cli, rack } = await startLoggedInCli('admin@example.com'));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('apps and apps info print Convox tables, and JSON with --json', async () => {
    const mark = rack.mark();
    const table = await cli.ok(['apps']);
    expect(table.stdout).toMatch(/^APP\s+STATUS\s+GEN\s+LOCK\s+RELEASE/);
    expect(table.stdout).toMatch(/^myapp\s+running\s+\S+\s+R[A-Z]{10}/m);
    const json = JSON.parse((await cli.ok(['apps', '--json'])).stdout) as Named[];
    expect(json.map((a) => a.name).sort()).toEqual(['api', 'myapp', 'worker-app']);
    const info = await cli.ok(['apps', 'info', 'myapp']);
    expect(info.stdout).toMatch(/^Name\s+myapp$/m);
    expect(info.stdout).toMatch(/^Status\s+running$/m);
    expect(rack.calls(mark)).toEqual(['GET /apps', 'GET /apps', 'GET /apps/myapp']);
  });

  it('resolves the app from -a, CONVOX_APP, .convox/app and the directory name', async () => {
    const project = join(stack.scratch, 'projects', 'worker-app');
    mkdirSync(join(project, 'deep'), { recursive: true });
    const appOf = async (args: string[], options: { cwd?: string; env?: Record<string, string> }) =>
      (JSON.parse((await cli.ok(['apps', 'info', ...args, '--json'], options)).stdout) as Named).name;
    expect(await appOf([], { cwd: project })).toBe('worker-app');
    expect(await appOf([], { cwd: project, env: { CONVOX_APP: 'api' } })).toBe('api');
    expect(await appOf(['-a', 'myapp'], { cwd: project, env: { CONVOX_APP: 'api' } })).toBe('myapp');
  });

  it('ps lists processes; ps stop stops one on the rack', async () => {
    const table = await cli.ok(['ps', '-a', 'myapp']);
    expect(table.stdout).toMatch(/^ID\s+SERVICE\s+STATUS\s+RELEASE\s+STARTED\s+COMMAND/);
    expect(table.stdout).toMatch(/^web-\S+\s+web\s+running/m);
    const processes = JSON.parse((await cli.ok(['ps', '-a', 'myapp', '--json'])).stdout) as Array<{
      id: string;
      name: string;
    }>;
    expect(processes.filter((p) => p.name === 'web')).toHaveLength(2);
    const victim = processes.find((p) => p.name === 'worker')!;

    const mark = rack.mark();
    const stop = await cli.ok(['ps', 'stop', victim.id, '-a', 'myapp']);
    expect(stop.stderr).toContain(`Stopping ${victim.id}...`);
    expect(rack.calls(mark)).toEqual([`DELETE /apps/myapp/processes/${victim.id}`]);
    const after = await rack.get<Array<{ id: string }>>('/apps/myapp/processes');
    expect(after.map((p) => p.id)).not.toContain(victim.id);
  });

  it('restart restarts every service; scale changes a count and shows it', async () => {
    let mark = rack.mark();
    await cli.ok(['restart', '-a', 'myapp']);
    expect(rack.calls(mark)).toEqual([
      'GET /apps/myapp/services',
      'POST /apps/myapp/services/web/restart',
      'POST /apps/myapp/services/worker/restart',
    ]);
    await rack.untilRunning('myapp');

    mark = rack.mark();
    const scaled = await cli.ok(['scale', 'web', '--count', '3', '-a', 'myapp']);
    expect(scaled.stderr).toContain('Scaling web...');
    expect(rack.calls(mark)).toEqual(['PUT /apps/myapp/services/web']);
    await rack.untilRunning('myapp');
    const table = await cli.ok(['scale', '-a', 'myapp']);
    expect(table.stdout).toMatch(/^SERVICE\s+DESIRED\s+RUNNING\s+CPU\s+MEMORY/);
    expect(table.stdout).toMatch(/^web\s+3\s+/m);
    const json = JSON.parse((await cli.ok(['scale', 'web', '-a', 'myapp', '--json'])).stdout) as Array<
      Named & { count: number }
    >;
    expect(json).toEqual([expect.objectContaining({ name: 'web', count: 3 })]);
  });

  it('env, env get, env set and env unset with --promote change the rack', async () => {
    const env = await cli.ok(['env', '-a', 'myapp']);
    expect(env.stdout).toMatch(/^PORT=3000$/m);
    expect(JSON.parse((await cli.ok(['env', '-a', 'myapp', '--json'])).stdout)).toMatchObject({
      PORT: '3000',
    });
    expect((await cli.ok(['env', 'get', 'PORT', '-a', 'myapp'])).stdout).toBe('3000\n');

    await rack.untilRunning('myapp');
    let mark = rack.mark();
    const set = await cli.ok(['env', 'set', 'GREETING=hello world', 'PORT=4000', '--promote', '-a', 'myapp']);
    const created = /Release: (R[A-Z]+)/.exec(set.stdout)![1];
    expect(rack.calls(mark)).toContain('POST /apps/myapp/releases');
    expect(rack.calls(mark)).toContain(`POST /apps/myapp/releases/${created}/promote`);
    expect((await rack.get<{ release: string }>('/apps/myapp')).release).toBe(created);
    const stored = await rack.get<{ env: string }>(`/apps/myapp/releases/${created}`);
    expect(stored.env.split('\n')).toEqual(expect.arrayContaining(['GREETING=hello world', 'PORT=4000']));
    // secrets the gateway masks on read survive the read-modify-write untouched
    expect(stored.env).toMatch(/^DATABASE_URL=postgres:\/\/myapp:pg-mock-password-7d1c@/m);
    expect((await cli.ok(['env', 'get', 'GREETING', '-a', 'myapp'])).stdout).toBe('hello world\n');

    await rack.untilRunning('myapp');
    mark = rack.mark();
    const unset = await cli.ok(['env', 'unset', 'GREETING', '--promote', '-a', 'myapp']);
    const second = /Release: (R[A-Z]+)/.exec(unset.stdout)![1];
    expect(rack.calls(mark)).toContain(`POST /apps/myapp/releases/${second}/promote`);
    const missing = await cli.run(['env', 'get', 'GREETING', '-a', 'myapp']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('env not found: GREETING');
  });

  it('releases, releases info, promote and rollback', async () => {
    await rack.untilRunning('myapp');
    const list = JSON.parse((await cli.ok(['releases', '-a', 'myapp', '--json'])).stdout) as Array<{
      id: string;
      build: string;
    }>;
    expect(list.length).toBeGreaterThanOrEqual(3);
    const [active, previous] = list;
    const table = await cli.ok(['releases', '-a', 'myapp']);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+BUILD\s+CREATED\s+DESCRIPTION/);
    expect(table.stdout).toMatch(new RegExp(`^${active.id}\\s+active`, 'm'));

    const info = await cli.ok(['releases', 'info', previous.id, '-a', 'myapp']);
    expect(info.stdout).toMatch(new RegExp(`^Id\\s+${previous.id}$`, 'm'));
    expect(info.stdout).toContain('PORT=');

    // a release made without --promote, then promoted on its own (the latest when no id is given)
    const fresh = /Release: (R[A-Z]+)/.exec(
      (await cli.ok(['env', 'set', 'STAGE=two', '-a', 'myapp'])).stdout,
    )![1];
    expect((await rack.get<{ release: string }>('/apps/myapp')).release).toBe(active.id);
    let mark = rack.mark();
    const promote = await cli.ok(['releases', 'promote', '-a', 'myapp']);
    expect(promote.stderr).toContain(`Promoting ${fresh}...`);
    expect(rack.calls(mark)).toEqual([
      'GET /apps/myapp/releases',
      `POST /apps/myapp/releases/${fresh}/promote`,
    ]);
    expect((await rack.untilRunning('myapp')).release).toBe(fresh);

    mark = rack.mark();
    const rollback = await cli.ok(['releases', 'rollback', previous.id, '-a', 'myapp']);
    const copy = /Release: (R[A-Z]+)/.exec(rollback.stdout)![1];
    expect(copy).not.toBe(previous.id);
    // the gateway itself reads the current release to check the posted env, so only the CLI's calls are pinned
    expect(rack.calls(mark).filter((c) => c.startsWith('POST') || c.endsWith(previous.id))).toEqual([
      `GET /apps/myapp/releases/${previous.id}`,
      'POST /apps/myapp/releases',
      `POST /apps/myapp/releases/${copy}/promote`,
    ]);
    expect((await rack.untilRunning('myapp')).release).toBe(copy);
    const restored = await rack.get<{ build: string; env: string }>(`/apps/myapp/releases/${copy}`);
    const original = await rack.get<{ build: string; env: string }>(`/apps/myapp/releases/${previous.id}`);
    expect(restored).toMatchObject({ build: original.build, env: original.env });
  });

  it('rack info, rack params, resources and instances', async () => {
    const info = await cli.ok(['rack', 'info']);
    expect(info.stdout).toMatch(/^Name\s+dev-rack$/m);
    expect(info.stdout).toMatch(/^Version\s+3\.24\.9$/m);
    expect(JSON.parse((await cli.ok(['rack', 'info', '--json'])).stdout)).toMatchObject({ provider: 'aws' });
    const params = await cli.ok(['rack', 'params']);
    expect(params.stdout).toMatch(/^node_type\s+t3\.large$/m);
    const resources = await cli.ok(['resources', '-a', 'myapp']);
    expect(resources.stdout).toMatch(/^NAME\s+TYPE\s+URL/);
    expect(resources.stdout).toMatch(/^cache\s+redis\s+/m);
    expect(resources.stdout).toMatch(/^database\s+postgres\s+/m);
    const instances = await cli.ok(['instances']);
    expect(instances.stdout).toMatch(/^ID\s+STATUS\s+STARTED\s+PS\s+CPU\s+MEM/);
    expect(instances.stdout).toMatch(/^ip-10-0-1-23\.ec2\.internal\s+running/m);
    const json = JSON.parse((await cli.ok(['instances', '--json'])).stdout) as Array<{ id: string }>;
    expect(json).toHaveLength(3);
  });
});
