import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliGatewayStack } from './cli-gateway-stack';
import { startLoggedInCli } from './logged-in-cli';
import type { CliRunner } from './cli-runner';
import type { RackInspector } from './rack-inspector';

/** Builds, logs, exec/run and deploy: the websocket and upload paths of the CLI through the gateway. */
describe('rack-gateway CLI: streams, exec and deploy through the gateway', () => {
  let stack: CliGatewayStack;
  let cli: CliRunner;
  let rack: RackInspector;

  beforeAll(async () => {
    ({ stack, cli, rack } = await startLoggedInCli('admin@example.com'));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const header = (mark: number, name: string) =>
    rack.since(mark).find((r) => r.websocket)?.headers[name.toLowerCase()];

  it('builds, builds info and builds logs', async () => {
    const table = await cli.ok(['builds', '-a', 'myapp']);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+RELEASE\s+STARTED\s+ELAPSED\s+DESCRIPTION/);
    const builds = JSON.parse((await cli.ok(['builds', '-a', 'myapp', '--json'])).stdout) as Array<{
      id: string;
      release: string;
    }>;
    expect(builds.length).toBeGreaterThan(0);
    const [build] = builds;
    expect(table.stdout).toMatch(new RegExp(`^${build.id}\\s+complete\\s+${build.release}`, 'm'));
    const info = await cli.ok(['builds', 'info', build.id, '-a', 'myapp']);
    expect(info.stdout).toMatch(new RegExp(`^Id\\s+${build.id}$`, 'm'));
    expect(info.stdout).toMatch(/^Status\s+complete$/m);
    const logs = await cli.ok(['builds', 'logs', build.id, '-a', 'myapp']);
    expect(logs.stdout).toContain('Step 1/5 : FROM node:20-alpine');
    expect(logs.stdout).toContain(`Successfully tagged myapp:${build.id.toLowerCase()}`);
  });

  it('logs sends --since, --filter and the service, and prints the lines', async () => {
    let mark = rack.mark();
    const all = await cli.ok(['logs', '-a', 'myapp', '--since', '1m']);
    expect(all.stdout).toMatch(/^\[pod\/web-\S+\/web\] \S+ GET/m);
    expect(all.stdout).toMatch(/^\[pod\/worker-\S+\/worker\] /m);
    expect(rack.calls(mark)).toEqual(['GET /apps/myapp/logs']);
    expect(header(mark, 'Since')).toBe('1m');
    expect(header(mark, 'Follow')).toBe('false');

    mark = rack.mark();
    const filtered = await cli.ok(['logs', 'web', '-a', 'myapp', '--filter', 'POST', '--since', '10m']);
    const lines = filtered.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[pod\/web-\S+\/web\] \S+ POST /);
    expect(rack.calls(mark)).toEqual(['GET /apps/myapp/services/web/logs']);
    expect(header(mark, 'Filter')).toBe('POST');
  });

  it('logs -f keeps streaming until interrupted', async () => {
    const mark = rack.mark();
    const child = cli.spawn(['logs', '-f', '-a', 'myapp', '--since', '1s']);
    child.stdin.end();
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.split('\n').length > 3) resolve();
      }),
    );
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    expect(header(mark, 'Follow')).toBe('true');
    expect(stdout).toMatch(/^\[pod\//m);
  });

  it('exec passes stdin through and the remote exit code back', async () => {
    const [web] = await rack.get<Array<{ id: string }>>('/apps/myapp/processes?service=web');
    const echoed = await cli.run(['exec', web.id, 'cat', '-a', 'myapp'], { input: 'line one\nline two\n' });
    expect(echoed).toMatchObject({ code: 0, stdout: 'line one\nline two\n' });

    const mark = rack.mark();
    const failed = await cli.run(['exec', web.id, '-a', 'myapp', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    expect(header(mark, 'Command')).toBe("sh -c 'exit 3'");
    expect(rack.calls(mark)).toEqual([`GET /apps/myapp/processes/${web.id}/exec`]);
  });

  it('run starts a one-off process, attaches with stdin, passes the exit code and removes the process', async () => {
    const mark = rack.mark();
    const echoed = await cli.run(['run', 'web', 'cat', '-a', 'myapp'], { input: 'from stdin\n' });
    expect(echoed.stdout).toBe('from stdin\n');
    expect(echoed.code).toBe(0);
    const calls = rack.calls(mark);
    expect(calls[0]).toBe('POST /apps/myapp/services/web/processes');
    const pid = /^GET \/apps\/myapp\/processes\/(web-run-\S+)\/exec$/.exec(calls.at(-2) ?? '')?.[1];
    expect(pid).toBeDefined();
    expect(calls.at(-1)).toBe(`DELETE /apps/myapp/processes/${pid}`);

    const failed = await cli.run(['run', 'web', '-a', 'myapp', '--', 'sh', '-c', 'exit 5']);
    expect(failed.code).toBe(5);
  });

  it('deploy uploads the directory without what .dockerignore excludes, builds and promotes', async () => {
    const source = join(stack.scratch, 'src', 'myapp');
    mkdirSync(join(source, 'node_modules', 'left-pad'), { recursive: true });
    mkdirSync(join(source, 'lib'), { recursive: true });
    writeFileSync(join(source, 'convox.yml'), 'services:\n  web:\n    port: 3000\n');
    writeFileSync(join(source, 'Dockerfile'), 'FROM node:20-alpine\nCOPY . .\n');
    writeFileSync(join(source, 'lib', 'server.js'), 'console.log("hi")\n');
    writeFileSync(join(source, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1\n');
    writeFileSync(join(source, '.env.local'), 'SECRET=do-not-upload\n');
    writeFileSync(join(source, '.dockerignore'), 'node_modules\n.env*\n');
    await rack.untilRunning('myapp');

    const mark = rack.mark();
    const deploy = await cli.ok(['deploy', '--description', 'e2e deploy'], {
      cwd: source,
      timeoutMs: 30_000,
    });
    const release = /Release: (R[A-Z]+)/.exec(deploy.stderr)?.[1];
    expect(release).toBeDefined();
    expect(deploy.stdout).toContain('Step 1/5 : FROM node:20-alpine');
    expect(deploy.stderr).toContain(`Promoting ${release}...`);
    const calls = rack.calls(mark);
    const upload = calls.find((c) => /^POST \/apps\/myapp\/objects\/tmp\/\w+\.tgz$/.test(c));
    expect(upload).toBeDefined();
    expect(calls).toContain('POST /apps/myapp/builds');
    expect(calls).toContain(`POST /apps/myapp/releases/${release}/promote`);
    expect((await rack.untilRunning('myapp')).release).toBe(release);

    const key = upload!.split('/objects/')[1];
    const listed = execFileSync('tar', ['-tzf', join(stack.objectsDir, 'myapp', key)], { encoding: 'utf8' });
    const entries = listed
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^\.\//, ''));
    expect(entries).toEqual(
      expect.arrayContaining(['convox.yml', 'Dockerfile', 'lib/server.js', '.dockerignore']),
    );
    expect(entries.filter((e) => e.startsWith('node_modules') || e.startsWith('.env'))).toEqual([]);
  });

  it('build creates a release without promoting it', async () => {
    const source = join(stack.scratch, 'src', 'myapp');
    const before = (await rack.untilRunning('myapp')).release;
    const mark = rack.mark();
    const build = await cli.ok(['build', source, '-a', 'myapp'], { timeoutMs: 30_000 });
    const release = build.stdout.trim().split('\n').at(-1)!;
    expect(release).toMatch(/^R[A-Z]{10}$/);
    expect(rack.calls(mark).some((c) => c.endsWith('/promote'))).toBe(false);
    expect((await rack.get<{ release: string }>('/apps/myapp')).release).toBe(before);
    expect(readdirSync(join(stack.objectsDir, 'myapp', 'tmp')).length).toBe(2);
  });
});
