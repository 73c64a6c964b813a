import { SessionsService } from '../../src/sessions/sessions.service';
import { currentTotpCode } from '../../src/mfa/factors/totp';
import { UsersService } from '../../src/users/users.service';
import { awayFromStepBoundary } from '../mfa/mfa-stack';
import { consoleSession } from '../mfa/cli-approval-browser';
import { SoftAuthenticator } from '../mfa/soft-authenticator';
import { runOnTerminal } from './cli-on-terminal';
import { startLoggedInCli, type LoggedInCli } from './logged-in-cli';

describe('rack-gateway CLI with MFA (real gateway, PostgreSQL, mock rack)', () => {
  let env: LoggedInCli;
  let secret: string;

  beforeAll(async () => {
    env = await startLoggedInCli('admin@example.com');
  }, 120_000);
  afterAll(() => env?.stack.close());

  const forgetUsedSteps = () => env.stack.auth.db.query('UPDATE mfa_methods SET last_used_step = NULL');
  /** A CLI session that has not verified since login (every call then owes MFA, reads included). */
  const unverifySession = () =>
    env.stack.auth.db.query('UPDATE mfa_session_states SET verified_at = NULL, step_up_at = NULL');
  const webProcess = async () =>
    (await env.rack.get<Array<{ id: string }>>('/apps/myapp/processes?service=web'))[0].id;
  const closeStepUpWindow = () =>
    env.stack.auth.db.query("UPDATE mfa_session_states SET step_up_at = now() - interval '11 minutes'");

  /** A browser session of the same person, as the approval page would have it. */
  const browserSession = async () => {
    const app = env.stack.auth.gateway.app;
    const admin = await app.get(UsersService).getByEmail('admin@example.com');
    return (await app.get(SessionsService).create(admin.id, 'web', {})).token;
  };
  const gatewayApi = (token: string, path: string, body: unknown) =>
    fetch(`${env.stack.gatewayUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('verifies the CLI session with a passkey approved in the browser (mfa verify --browser)', async () => {
    const key = new SoftAuthenticator(env.stack.gatewayUrl);
    const rpId = new URL(env.stack.gatewayUrl).hostname;
    const enrolling = await browserSession();
    const options = await (await gatewayApi(enrolling, '/mfa/webauthn/registration-options', {})).json();
    const registered = await gatewayApi(enrolling, '/mfa/webauthn/registrations', {
      response: key.register(options as { challenge: string; rp: { id: string } }),
    });
    expect(registered.status).toBe(201);

    const child = env.cli.spawn(['mfa', 'verify', '--browser', '--no-open']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    const url = await new Promise<string>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
        const match = /passkey: (\S+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
    });
    expect(url).toMatch(new RegExp(`^${env.stack.gatewayUrl}/app/cli-mfa/[0-9a-f-]{36}$`));
    const approvalId = url.split('/').pop()!;
    // The console page's calls: a cookie session of the same person, its CSRF header and Origin.
    const browser = await consoleSession(env.stack.auth.gateway, 'admin@example.com');
    const assertion = (await (
      await fetch(`${env.stack.gatewayUrl}/api/v1/mfa/webauthn/authentication-options`, {
        method: 'POST',
        headers: browser.headers,
        body: '{}',
      })
    ).json()) as { challenge: string };
    const approved = await browser.call('POST', `/${approvalId}/approve`, {
      webauthn: key.assert(assertion.challenge, rpId),
    });
    expect(approved.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(`${code} ${stderr}`).toMatch(/^0 /);
    expect(stdout).toMatch(/This session is verified/);
  });

  it('enrols an authenticator as a second factor: prints the secret and URI, asks for a code (backup codes came with the first factor)', async () => {
    const child = env.cli.spawn(['mfa', 'enroll', '--label', 'laptop app']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    const asked = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
        const match = /Secret: ([A-Z2-7]+)/.exec(stderr);
        if (match && /Enter the 6-digit code/.test(stderr) && !secret) {
          secret = match[1];
          resolve();
        }
      });
    });
    await asked;
    expect(stderr).toMatch(/URI: {4}otpauth:\/\/totp\//);
    child.stdin.end(`${currentTotpCode(secret)}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(`${code} ${stderr}`).toMatch(/^0 /);
    expect(stdout).toMatch(/Authenticator app enrolled/);
    expect(stdout).not.toMatch(/Backup codes/);
  });

  it('refuses a step-up action without a code and says how to give one', async () => {
    await closeStepUpWindow();
    env.stack.rack.clearRequests();
    const refused = await env.cli.run(['env', 'set', 'MFA_CLI=1', '-a', 'myapp']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/mfa_required|multi-factor/i);
    expect(refused.stderr).toMatch(/--mfa-code/);
    expect(env.stack.rack.requests.some((r) => r.method === 'POST' && r.path.endsWith('/releases'))).toBe(
      false,
    );
  });

  it('passes the same action with --mfa-code and reports the fresh step-up in mfa status', async () => {
    await forgetUsedSteps();
    await awayFromStepBoundary();
    const passed = await env.cli.run([
      '--mfa-code',
      currentTotpCode(secret),
      'env',
      'set',
      'MFA_CLI=1',
      '-a',
      'myapp',
    ]);
    expect(passed.stderr).not.toMatch(/Error/);
    expect(passed.code).toBe(0);
    expect(env.stack.rack.requests.some((r) => r.method === 'POST' && r.path.endsWith('/releases'))).toBe(
      true,
    );
    const status = await env.cli.run(['mfa', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ enrolled: true, verified: true });
    expect(JSON.parse(status.stdout).stepUpExpiresAt).toBeDefined();
  });

  it('shows the preferred method in mfa status and changes it with mfa prefer', async () => {
    const json = JSON.parse((await env.cli.run(['mfa', 'status', '--json'])).stdout) as {
      preferredMethod: string;
      methods: { id: string; kind: string; preferred: boolean }[];
    };
    // The passkey came first, so it is preferred until the person chooses otherwise.
    expect(json.preferredMethod).toBe('webauthn');
    const human = await env.cli.run(['mfa', 'status']);
    expect(human.stdout).toMatch(/^Preferred: {2}Security key \(passkey\)$/m);
    expect(human.stdout).toMatch(/PREFERRED/);

    const app = json.methods.find((m) => m.kind === 'totp')!;
    const chosen = await env.cli.run(['mfa', 'prefer', app.id]);
    expect(`${chosen.code} ${chosen.stderr}`).toMatch(/^0 /);
    expect(chosen.stdout).toMatch(/Preferred method: laptop app \(authenticator app\)/);
    expect((await env.cli.run(['mfa', 'status'])).stdout).toMatch(/^Preferred: {2}laptop app/m);

    const bad = await env.cli.run(['mfa', 'prefer', 'not-an-id']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/methodId must be the id/);
  });

  it('regenerates backup codes with --mfa-code once the window has closed', async () => {
    await closeStepUpWindow();
    await forgetUsedSteps();
    await awayFromStepBoundary();
    const regenerated = await env.cli.run(['--mfa-code', currentTotpCode(secret), 'mfa', 'backup-codes']);
    expect(regenerated.code).toBe(0);
    expect(regenerated.stdout.match(/^ {2}[A-Z2-9]{5}-[A-Z2-9]{5}$/gm)).toHaveLength(10);
  });

  it('refuses exec (a websocket stream) for step-up without a terminal and names --mfa-code; nothing reaches the rack', async () => {
    await closeStepUpWindow();
    const pid = await webProcess();
    const mark = env.rack.mark();
    const refused = await env.cli.run(['exec', pid, '-a', 'myapp', '--', 'sh', '-c', 'exit 4']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: mfa_required: .*--mfa-code/m);
    expect(env.rack.calls(mark)).toEqual([]);
  });

  it('exec on a terminal prompts for the code, retries the stream once and passes the remote exit code back', async () => {
    await closeStepUpWindow();
    await forgetUsedSteps();
    await awayFromStepBoundary();
    const pid = await webProcess();
    const mark = env.rack.mark();
    const run = await runOnTerminal(
      env.cli,
      ['exec', pid, '-a', 'myapp', '--', 'sh', '-c', 'exit 4'],
      /Enter MFA code/,
      () => currentTotpCode(secret),
    );
    expect(run.screen).toMatch(/Multi-factor authentication required \(step-up\)/);
    expect(`${run.code} ${run.screen}`).toMatch(/^4 /);
    expect(env.rack.calls(mark)).toEqual([`GET /apps/myapp/processes/${pid}/exec`]);
  });

  it('logs in an unverified session on a terminal prompts, retries once and streams the lines', async () => {
    await unverifySession();
    await forgetUsedSteps();
    await awayFromStepBoundary();
    const mark = env.rack.mark();
    const run = await runOnTerminal(env.cli, ['logs', '-a', 'myapp', '--since', '1m'], /Enter MFA code/, () =>
      currentTotpCode(secret),
    );
    expect(`${run.code} ${run.screen}`).toMatch(/^0 /);
    expect(run.screen).toMatch(/Multi-factor authentication required \(login\)/);
    expect(run.screen).toMatch(/^\[pod\/web-\S+\/web\] /m);
    expect(env.rack.calls(mark)).toEqual(['GET /apps/myapp/logs']);
  });

  it('a wrong code at the stream prompt is retried only once: the gateway refusal is the error, exit 1', async () => {
    await unverifySession();
    const mark = env.rack.mark();
    const run = await runOnTerminal(env.cli, ['logs', '-a', 'myapp'], /Enter MFA code/, () => '000000');
    expect(run.code).toBe(1);
    expect(run.screen.match(/Enter MFA code/g)).toHaveLength(1);
    expect(run.screen).toMatch(/Error: the code is wrong, expired or already used/);
    expect(env.rack.calls(mark)).toEqual([]);
  });
});
