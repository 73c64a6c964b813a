import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliRunner } from '../cli/cli-runner';
import { startProxyStack, type ProxyStack } from '../proxy/proxy-stack';
import { adminSession, call, tokenOf } from './roles-fixture';

/** `rack-gateway access …` and `rack-gateway roles preview` against a real gateway (client built in dist). */
describe('rack-gateway access and roles commands', () => {
  let stack: ProxyStack;
  let scratch: string;
  let cli: CliRunner;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startProxyStack();
    const admin = await tokenOf(stack.gateway, 'admin@example.com');
    // Creating a user is an `always` MFA action, closed to tokens: the admin's session does it.
    await call(stack.gateway, await adminSession(stack.gateway), 'POST', '/users', {
      email: 'scoped@example.com',
      bindings: [{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }],
    });
    scratch = mkdtempSync(join(tmpdir(), 'rgw-roles-cli-'));
    cli = new CliRunner(scratch);
    env = { RACK_GATEWAY_URL: stack.gateway.url, RACK_GATEWAY_API_TOKEN: admin };
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('who-can lists the scoped deployer on web-1 with its binding, and not on api', async () => {
    const web = await cli.ok(['access', 'who-can', 'convox:env:set', '-a', 'web-1'], { env });
    expect(web.stdout).toMatch(/^user\s+scoped@example\.com\s+deployer on web-\*/m);
    expect(web.stdout).toMatch(/^user\s+admin@example\.com\s+admin/m);
    const api = await cli.ok(['access', 'who-can', 'convox:env:set', '-a', 'api', '--json'], { env });
    const emails = (JSON.parse(api.stdout) as { users: { email: string }[] }).users.map((u) => u.email);
    expect(emails).not.toContain('scoped@example.com');
    const bad = await cli.run(['access', 'who-can', 'convox:env:fly'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown permission: convox:env:fly');
  });

  it('access review streams the CSV to stdout', async () => {
    const review = await cli.ok(['access', 'review'], { env });
    const lines = review.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^kind,email,name,/);
    expect(lines.some((line) => line.startsWith('user,scoped@example.com,'))).toBe(true);
  });

  it('access user shows where each permission comes from', async () => {
    const user = await cli.ok(['access', 'user', 'scoped@example.com'], { env });
    expect(user.stdout).toMatch(/^convox:env:set\s+deployer on web-\*\s+never/m);
  });

  it('roles preview shows who would lose what', async () => {
    const preview = await cli.ok(
      ['roles', 'preview', '--user', 'scoped@example.com', '--binding', 'viewer'],
      { env },
    );
    expect(preview.stdout).toMatch(/scoped@example\.com\s+loses\s+convox:env:set\s+web-\*\s+-/);
    expect(preview.stdout).toContain('rack GET /apps/:app/releases');
  });
});
