import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginWithBrowser } from './cli-browser-login';
import { startCliGatewayStack, type CliGatewayStack } from './cli-gateway-stack';
import { CliRunner } from './cli-runner';
import { RackInspector } from './rack-inspector';

/** Permissions, gateway commands (tokens, sessions, users) and the convox passthrough. */
describe('rack-gateway CLI: permissions, gateway commands and passthrough', () => {
  let stack: CliGatewayStack;
  let admin: CliRunner;
  let viewer: CliRunner;
  let rack: RackInspector;

  beforeAll(async () => {
    stack = await startCliGatewayStack();
    rack = new RackInspector(stack.rack);
    admin = new CliRunner(join(stack.scratch, 'admin-laptop'));
    viewer = new CliRunner(join(stack.scratch, 'viewer-laptop'));
    for (const [runner, email] of [
      [admin, 'admin@example.com'],
      [viewer, 'viewer@example.com'],
    ] as const) {
      const login = await loginWithBrowser(runner, 'dev', stack.gatewayUrl, email);
      if (login.cli.code !== 0) throw new Error(login.cli.stderr);
    }
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('denies env set to a viewer and names the permission, without touching the rack', async () => {
    const mark = rack.mark();
    const denied = await viewer.run(['env', 'set', 'FOO=bar', '-a', 'myapp']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Error: permission denied: convox:env:set/);
    expect(rack.calls(mark)).not.toContain('POST /apps/myapp/releases');
    // reading is still allowed
    expect((await viewer.ok(['apps'])).stdout).toMatch(/^myapp\s/m);
  });

  it('api-token create --output token prints only the token, which then works on its own', async () => {
    const created = await admin.ok([
      'api-token',
      'create',
      '--name',
      'ci-deploys',
      '--permission',
      'convox:app:list',
      '--output',
      'token',
    ]);
    const token = created.stdout.trim();
    expect(created.stdout).toBe(`${token}\n`);
    expect(token).toMatch(/^rgw_\S+$/);

    // CI: no config file at all, only the environment
    const ci = new CliRunner(join(stack.scratch, 'ci-runner'));
    const env = { RACK_GATEWAY_URL: stack.gatewayUrl, RACK_GATEWAY_API_TOKEN: token };
    expect((await ci.ok(['apps'], { env })).stdout).toMatch(/^myapp\s/m);
    const forbidden = await ci.run(['ps', '-a', 'myapp'], { env });
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toContain('permission denied: convox:process:list');

    const list = JSON.parse((await admin.ok(['api-token', 'list', '--json'])).stdout) as Array<{
      id: string;
      name: string;
      owner: string;
    }>;
    const entry = list.find((t) => t.name === 'ci-deploys')!;
    expect(entry.owner).toBe('admin@example.com');
    const table = await admin.ok(['api-token', 'list']);
    expect(table.stdout).toMatch(
      new RegExp(`^${entry.id}\\s+ci-deploys\\s+admin@example\\.com\\s+active`, 'm'),
    );
    expect(table.stdout).not.toContain(token);

    expect((await admin.ok(['api-token', 'revoke', entry.id])).stdout).toContain(
      `Revoked API token ${entry.id}`,
    );
    const rejected = await ci.run(['apps'], { env });
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toContain('the gateway rejected RACK_GATEWAY_API_TOKEN');
    expect((await admin.ok(['api-token', 'list'])).stdout).toMatch(
      new RegExp(`^${entry.id}\\s.*\\srevoked\\s`, 'm'),
    );
  });

  it('api-token create refuses an unknown --output and a permission the user lacks', async () => {
    const badFormat = await viewer.run(['api-token', 'create', '--name', 'x', '--output', 'yaml']);
    expect(badFormat.code).not.toBe(0);
    expect(badFormat.stderr).toContain('--output must be one of: text, json, token');
    const escalation = await viewer.run([
      'api-token',
      'create',
      '--name',
      'x',
      '--permission',
      'convox:env:set',
    ]);
    expect(escalation.code).not.toBe(0);
    expect(escalation.stderr).toMatch(/convox:env:set/);
  });

  it('sessions list marks the current session; sessions revoke ends another one', async () => {
    const second = new CliRunner(join(stack.scratch, 'admin-desktop'));
    expect((await loginWithBrowser(second, 'dev', stack.gatewayUrl, 'admin@example.com')).cli.code).toBe(0);
    const sessions = JSON.parse((await admin.ok(['sessions', 'list', '--json'])).stdout) as Array<{
      id: string;
      current: boolean;
      channel: string;
    }>;
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const table = await admin.ok(['sessions', 'list']);
    expect(table.stdout).toMatch(/^\s+ID\s+CHANNEL\s+DEVICE\s+IP/);
    expect(table.stdout).toMatch(/^\*\s+\S+\s+cli\s/m);

    const mine = sessions.find((s) => s.current)!.id;
    const other = JSON.parse((await second.ok(['sessions', 'list', '--json'])).stdout) as Array<{
      id: string;
      current: boolean;
    }>;
    const desktop = other.find((s) => s.current)!.id;
    expect(desktop).not.toBe(mine);
    await admin.ok(['sessions', 'revoke', desktop]);
    const expired = await second.run(['whoami']);
    expect(expired.code).not.toBe(0);
    expect(expired.stderr).toContain('session expired, run: rack-gateway login dev');
    expect((await admin.ok(['whoami'])).stdout).toContain('admin@example.com');
  });

  it('users list works for an admin and is refused to a viewer with the permission named', async () => {
    const table = await admin.ok(['users', 'list']);
    expect(table.stdout).toMatch(/^EMAIL\s+NAME\s+ROLES\s+LOCKED\s+LAST SEEN/);
    expect(table.stdout).toMatch(/^viewer@example\.com\s.*viewer/m);
    const json = JSON.parse((await admin.ok(['users', 'list', '--json'])).stdout) as Array<{ email: string }>;
    expect(json.map((u) => u.email)).toEqual(
      expect.arrayContaining(['admin@example.com', 'ops@example.com']),
    );
    const refused = await viewer.run(['users', 'list']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('permission denied: gateway:user:read');
  });

  it('passes other commands to the installed convox with RACK_URL pointing at the gateway', async () => {
    const log = admin.installFakeConvox(4);
    const explicit = await admin.run(['convox', 'certs', '--app', 'myapp']);
    expect(explicit.code).toBe(4);
    expect(explicit.stdout).toContain('fake convox ran');
    const fallback = await admin.run(['registries']);
    expect(fallback.code).toBe(4);
    const subcommand = await admin.run(['apps', 'create', 'newapp']);
    expect(subcommand.code).toBe(4);

    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { args: string[]; rackUrl: string });
    expect(calls.map((c) => c.args)).toEqual([
      ['certs', '--app', 'myapp'],
      ['registries'],
      ['apps', 'create', 'newapp'],
    ]);
    const token = admin.config().racks.dev.token!;
    for (const { rackUrl } of calls) {
      const url = new URL(rackUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${stack.gatewayUrl}/api/v1/rack-proxy`);
      expect(url.username).toBe('convox');
      expect(decodeURIComponent(url.password)).toBe(token);
    }
    // the URL it hands to convox really works against the gateway
    const url = new URL(calls[0].rackUrl);
    const apps = await fetch(`${url.origin}${url.pathname}/apps`, {
      headers: {
        authorization: `Basic ${Buffer.from(`convox:${decodeURIComponent(url.password)}`).toString('base64')}`,
      },
    });
    expect(apps.status).toBe(200);
  });

  it('says clearly when convox is not installed', async () => {
    const missing = await viewer.run(['registries'], { env: { PATH: viewer.binDir } });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('the convox CLI is not installed');
  });
});
