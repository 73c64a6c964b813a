import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loginPolledWithWrongVerifiers, loginWithBrowser } from './cli-browser-login';
import { startCliGatewayStack, type CliGatewayStack } from './cli-gateway-stack';
import { CliRunner } from './cli-runner';

const packageVersion = (file: string) =>
  (JSON.parse(readFileSync(join(__dirname, '..', '..', file), 'utf8')) as { version: string }).version;

/** The real CLI binary against the real gateway: browser login, racks, logout, expiry, version. */
describe('rack-gateway CLI: login and racks against the gateway', () => {
  let stack: CliGatewayStack;
  let cli: CliRunner;

  beforeAll(async () => {
    stack = await startCliGatewayStack();
    cli = new CliRunner(join(stack.scratch, 'laptop'));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const meStatus = async (token: string) =>
    (await fetch(`${stack.gatewayUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('logs in through the browser, shows the code the approval page shows, and stores the session 0600', async () => {
    const login = await loginWithBrowser(cli, 'production', stack.gatewayUrl, 'admin@example.com');
    expect(login.cli.code).toBe(0);
    expect(login.cliCode).toMatch(/\S{4,}/);
    expect(login.pageCode).toBe(login.cliCode);
    expect(login.cli.stdout).toContain('Logged in to production as admin@example.com');

    const configFile = join(cli.configDir, 'config.json');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const config = cli.config();
    expect(config.current).toBe('production');
    expect(config.racks.production).toMatchObject({ url: stack.gatewayUrl, email: 'admin@example.com' });
    expect(Date.parse(config.racks.production.expiresAt!)).toBeGreaterThan(Date.now());
    expect(await meStatus(config.racks.production.token!)).toBe(200);

    const whoami = await cli.ok(['whoami', '--json']);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: 'admin@example.com', channel: 'cli' });
    const rack = await cli.ok(['rack']);
    expect(rack.stdout).toMatch(/Rack\s+production/);
    expect(rack.stdout).toMatch(/User\s+admin@example\.com/);
    expect(rack.stdout).toContain('logged in');
  });

  it('says the login was closed after wrong verifiers from elsewhere, not that the browser denied it', async () => {
    const login = await loginPolledWithWrongVerifiers(cli, 'guessed', stack.gatewayUrl, 5);
    expect(login.code).not.toBe(0);
    expect(login.stderr).toContain(
      'login failed: the gateway closed this login after too many wrong code verifiers',
    );
    expect(login.stderr).not.toContain('denied');
    expect(cli.config().racks?.guessed?.token).toBeUndefined();
  });

  it('switches between two racks; racks marks the current one and --rack / RACK_GATEWAY_RACK override it', async () => {
    const staging = await loginWithBrowser(cli, 'staging', stack.gatewayUrl, 'viewer@example.com');
    expect(staging.cli.code).toBe(0);
    expect(cli.config().current).toBe('staging');

    const racks = await cli.ok(['racks']);
    expect(racks.stdout).toMatch(/^\*\s+staging\s+\S+\s+viewer@example\.com/m);
    expect(racks.stdout).toMatch(/^\s+production\s+\S+\s+admin@example\.com/m);
    expect(racks.stdout).not.toContain(cli.config().racks.staging.token!);

    const email = async (args: string[], env: Record<string, string> = {}) =>
      (JSON.parse((await cli.ok([...args, 'whoami', '--json'], { env })).stdout) as { email: string }).email;
    expect(await email([])).toBe('viewer@example.com');
    expect(await email(['--rack', 'production'])).toBe('admin@example.com');
    expect(await email([], { RACK_GATEWAY_RACK: 'production' })).toBe('admin@example.com');

    expect((await cli.ok(['switch', 'production'])).stdout).toContain('Switched to production');
    expect(await email([])).toBe('admin@example.com');
    expect((await cli.ok(['racks'])).stdout).toMatch(/^\*\s+production/m);

    const unknown = await cli.run(['switch', 'nowhere']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown rack "nowhere" (known racks: production, staging)');
    expect(cli.config().current).toBe('production');
  });

  it('version shows the client, gateway and rack versions', async () => {
    const version = await cli.ok(['version']);
    const clientVersion = packageVersion('client/cli/package.json');
    const gatewayVersion = packageVersion('package.json');
    expect(version.stdout).toContain(`client: ${clientVersion}`);
    expect(version.stdout).toContain(`gateway: ${gatewayVersion} (${stack.gatewayUrl})`);
    expect(version.stdout).toContain('rack: 3.24.9');
  });

  it('says "session expired, run: rack-gateway login <rack>" when the gateway answers 401', async () => {
    const login = await loginWithBrowser(cli, 'doomed', stack.gatewayUrl, 'ops@example.com');
    expect(login.cli.code).toBe(0);
    const sessions = JSON.parse((await cli.ok(['sessions', 'list', '--json'])).stdout) as Array<{
      id: string;
      current: boolean;
    }>;
    const current = sessions.find((s) => s.current)!;
    expect((await cli.ok(['sessions', 'revoke', current.id])).stdout).toContain(
      `Revoked session ${current.id}`,
    );

    const apps = await cli.run(['apps']);
    expect(apps.code).not.toBe(0);
    expect(apps.stderr).toContain('Error: session expired, run: rack-gateway login doomed');
    expect(apps.stdout).toBe('');
  });

  it('logout revokes the session on the gateway, then forgets the token', async () => {
    await cli.ok(['switch', 'staging']);
    const token = cli.config().racks.staging.token!;
    expect(await meStatus(token)).toBe(200);

    const logout = await cli.ok(['logout']);
    expect(logout.stdout).toContain('Logged out from staging');
    expect(await meStatus(token)).toBe(401);
    expect(cli.config().racks.staging).toEqual({ url: stack.gatewayUrl, email: 'viewer@example.com' });
    // the other rack keeps its session
    expect(await meStatus(cli.config().racks.production.token!)).toBe(200);

    const after = await cli.run(['apps']);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('not logged in to rack "staging"; run: rack-gateway login staging');
  });
});
