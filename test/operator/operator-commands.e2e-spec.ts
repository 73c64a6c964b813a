import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  devShellEnv,
  removeScratch,
  operatorCommand,
  startLauncher,
  type Launcher,
} from './dev-stack-process';

jest.setTimeout(240_000);

interface VerifyReport {
  ok: boolean;
  checked: number;
  open: { count: number };
  problem: unknown;
}

/**
 * `npm run manage`, `migrate` and `audit:verify` in the development setup, exactly as a newcomer types
 * them: no DATABASE_URL, no secrets. They find the stack's database and keys whether or not it runs.
 */
describe('operator commands in the development setup', () => {
  let scratch: string;
  let env: Record<string, string>;
  let launcher: Launcher | undefined;

  async function verify(extra: Record<string, string> = {}): Promise<VerifyReport> {
    const out = await operatorCommand('audit:verify', [], { ...env, ...extra });
    expect(out.stderr).not.toMatch(/undefined/);
    return JSON.parse(out.stdout) as VerifyReport;
  }

  async function manage(args: string[], extra: Record<string, string> = {}) {
    const out = await operatorCommand('manage', args, { ...env, ...extra });
    expect(out.stderr).not.toMatch(/undefined|\n\s+at /);
    return out;
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rgw-operator-'));
    env = await devShellEnv(join(scratch, 'data'), scratch);
  });
  afterAll(async () => {
    await launcher?.stop();
    removeScratch(scratch, join(scratch, 'data'));
  });

  it('migrates, manages and verifies with the stack stopped, closing every event', async () => {
    const migrated = await operatorCommand('migrate', [], env);
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.stdout).toMatch(/applied: |database is up to date/);

    const steps: string[][] = [
      ['create-user', '--email', 'ops.lead@example.com', '--role', 'deployer'],
      ['create-token', '--email', 'ops.lead@example.com', '--name', 'ci', '--role', 'deployer'],
      ['revoke-sessions', '--email', 'ops.lead@example.com'],
      ['lock-user', '--email', 'ops.lead@example.com', '--reason', 'left the team'],
    ];
    for (const [index, args] of steps.entries()) {
      const out = await manage(args);
      expect({ args, code: out.code, stderr: out.stderr }).toMatchObject({ args, code: 0 });
      const report = await verify();
      expect({ args, report }).toMatchObject({
        args,
        report: { ok: true, checked: index + 1, open: { count: 0 } },
      });
    }
  });

  it('records a failed command with its outcome and says what went wrong in one line', async () => {
    const before = await verify();
    const out = await manage([
      'create-token',
      '--email',
      'nobody@example.com',
      '--name',
      'x',
      '--role',
      'viewer',
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n').pop()).toMatch(/nobody@example\.com/);
    expect(await verify()).toMatchObject({ ok: true, checked: before.checked + 1, open: { count: 0 } });
  });

  it('refuses to write audit events with a key that does not match the chain', async () => {
    const before = await verify();
    const wrongKey = { AUDIT_HMAC_SECRET: 'f'.repeat(64) };
    const out = await manage(['create-user', '--email', 'intruder@example.com', '--role', 'admin'], wrongKey);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/AUDIT_HMAC_SECRET does not match the audit chain/);
    // Nothing was written: the chain still verifies with the real key, and the user does not exist.
    expect(await verify()).toMatchObject({ ok: true, checked: before.checked, open: { count: 0 } });
    const retry = await manage(['lock-user', '--email', 'intruder@example.com', '--reason', 'x']);
    expect(retry.stderr).toMatch(/intruder@example\.com/);
  });

  it('uses the running stack’s database and keys while it runs', async () => {
    launcher = startLauncher(env);
    await launcher.ready;
    const created = await manage(['create-user', '--email', 'dev@example.com', '--role', 'deployer']);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/running stack/);
    const token = await manage([
      'create-token',
      '--email',
      'dev@example.com',
      '--name',
      'cli',
      '--role',
      'deployer',
    ]);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^rgw_\S+\n$/);

    // The token works on the running gateway, so both share one database; the chain verifies with its key.
    const me = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/me`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(me.status).toBe(200);
    const report = await verify();
    expect(report).toMatchObject({ ok: true, open: { count: 0 } });
    expect(await operatorCommand('migrate', [], env)).toMatchObject({
      code: 0,
      stdout: 'database is up to date\n',
    });

    // The stack's own server kept running under it: the gateway is still ready.
    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);
  });
});
