import { currentTotpCode } from '../../src/mfa/factors/totp';
import { cliAuth } from '../proxy/proxy-stack';
import {
  awayFromStepBoundary,
  codesAround,
  convoxAuthWithCode,
  enrolTotp,
  forgetUsedSteps,
  freshCode,
  startMfaStack,
  type MfaStack,
} from './mfa-stack';

describe('MFA with TOTP and backup codes, end to end (gateway + PostgreSQL + mock rack)', () => {
  let stack: MfaStack;
  let adminSecret: string;
  let adminBackupCodes: string[];

  beforeAll(async () => {
    // Deleting apps is the always-level example; the destructive-action switch must allow it at all.
    stack = await startMfaStack({ RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true' });
    const enrolling = await stack.session('admin');
    ({ secret: adminSecret, backupCodes: adminBackupCodes } = await enrolTotp(stack, enrolling));
  }, 60_000);
  afterAll(() => stack?.close());

  const proxy = (path: string, authorization: string, init: RequestInit = {}) =>
    fetch(`${stack.proxyUrl}${path}`, {
      ...init,
      headers: { authorization, ...(init.headers as Record<string, string> | undefined) },
    });
  const envChange = (authorization: string, headers: Record<string, string> = {}) =>
    proxy('/apps/myapp/releases', authorization, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ env: 'MFA_E2E=1\nNODE_ENV=production' }).toString(),
    });

  it('enrols TOTP: otpauth URI and QR data URL, a wrong code refused, the secret sealed at rest', async () => {
    const token = await stack.session('deployer');
    const start = await stack.api('/api/v1/mfa/totp', token, { method: 'POST', body: '{"label":"phone"}' });
    await awayFromStepBoundary();
    expect(start.status).toBe(201);
    const body = (await start.json()) as { methodId: string; secret: string; uri: string; qrCode: string };
    expect(body.uri).toMatch(/^otpauth:\/\/totp\/.*deployer%40example\.com\?.*secret=/);
    expect(body.qrCode).toMatch(/^data:image\/png;base64,/);
    const wrong = await stack.api(`/api/v1/mfa/totp/${body.methodId}/confirm`, token, {
      method: 'POST',
      body: JSON.stringify({
        code: String((Number(currentTotpCode(body.secret)) + 1) % 1000000).padStart(6, '0'),
      }),
    });
    expect(wrong.status).toBe(400);
    const { rows } = await stack.db.query<{ secret_sealed: string }>(
      'SELECT secret_sealed FROM mfa_methods WHERE id = $1',
      [body.methodId],
    );
    expect(rows[0].secret_sealed).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(rows[0].secret_sealed).not.toContain(body.secret);
    const ok = await stack.api(`/api/v1/mfa/totp/${body.methodId}/confirm`, token, {
      method: 'POST',
      body: JSON.stringify({ code: currentTotpCode(body.secret) }),
    });
    expect(ok.status).toBe(200);
    const confirmed = (await ok.json()) as { backupCodes: string[]; stepUpExpiresAt: string };
    expect(confirmed.backupCodes).toHaveLength(10);
    expect(Date.parse(confirmed.stepUpExpiresAt)).toBeGreaterThan(Date.now());
    const stored = await stack.db.query<{ code_hash: string }>(
      "SELECT code_hash FROM mfa_backup_codes WHERE user_id = (SELECT id FROM users WHERE email = 'deployer@example.com')",
    );
    expect(stored.rows).toHaveLength(10);
    for (const code of confirmed.backupCodes)
      expect(stored.rows.some((r) => r.code_hash.includes(code.replace('-', '')))).toBe(false);
  });

  it('keeps a session that has not passed MFA to the MFA routes, /me and logout; rack included', async () => {
    const token = await stack.session('admin');
    const apps = await proxy('/apps', cliAuth(token));
    expect(apps.status).toBe(401);
    expect(apps.headers.get('x-mfa-required')).toBe('login');
    expect(((await apps.json()) as { error: string }).error).toMatch(
      /^mfa_required: .*convox:<token>\.totp\.<code>/,
    );
    const users = await stack.api('/api/v1/users', token);
    expect(users.status).toBe(401);
    expect(await users.json()).toMatchObject({ error: 'mfa_required' });
    const me = await stack.api('/api/v1/me', token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { mfa: unknown }).mfa).toMatchObject({
      enrolled: true,
      verified: false,
      methods: [expect.objectContaining({ kind: 'totp' })],
    });
    expect((await stack.api('/api/v1/mfa', token)).status).toBe(200);
  });

  it('lets the stock convox CLI pass an env change with an inline code and refuses it without one', async () => {
    await forgetUsedSteps(stack, 'admin');
    await awayFromStepBoundary();
    const token = await stack.session('admin');
    const refused = await envChange(cliAuth(token));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-mfa-required')).toBe('login');
    const before = stack.rack.requests.length;
    const passed = await envChange(convoxAuthWithCode(token, currentTotpCode(adminSecret)));
    expect(passed.status).toBe(200);
    expect(stack.rack.requests.length).toBeGreaterThan(before);
    // The same RACK_URL (same code) keeps working inside the step-up window: no replay refusal mid-command.
    const again = await envChange(convoxAuthWithCode(token, currentTotpCode(adminSecret)));
    expect(again.status).toBe(200);
  });

  it('asks again for a step-up action once the window has closed, and the X-MFA-Code header answers it', async () => {
    await forgetUsedSteps(stack, 'admin');
    await awayFromStepBoundary();
    const token = await stack.session('admin');
    expect((await envChange(cliAuth(token), { 'x-mfa-code': currentTotpCode(adminSecret) })).status).toBe(
      200,
    );
    await stack.db.query("UPDATE mfa_session_states SET step_up_at = now() - interval '11 minutes'");
    const stale = await envChange(cliAuth(token));
    expect(stale.status).toBe(401);
    expect(stale.headers.get('x-mfa-required')).toBe('step_up');
    // Reads stay open: the login challenge was passed.
    expect((await proxy('/apps', cliAuth(token))).status).toBe(200);
  });

  it('needs a code on the very request for an always action, accepts it once, refuses a replay', async () => {
    await forgetUsedSteps(stack, 'admin');
    await awayFromStepBoundary();
    const token = await stack.session('admin');
    const [older, current] = codesAround(adminSecret);
    expect((await proxy('/apps', convoxAuthWithCode(token, older))).status).toBe(200);
    // A fresh step-up does not cover an always action.
    const noCode = await proxy('/apps/worker-app', cliAuth(token), { method: 'DELETE' });
    expect(noCode.status).toBe(401);
    expect(noCode.headers.get('x-mfa-required')).toBe('always');
    const deleted = await proxy('/apps/worker-app', convoxAuthWithCode(token, current), { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const replay = await proxy('/apps/api', convoxAuthWithCode(token, current), { method: 'DELETE' });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toMatch(/wrong, expired or already used/);
  });

  it('never asks an API token for MFA, and refuses it an always action with a clear 403', async () => {
    expect((await envChange(cliAuth(stack.tokens.admin))).status).toBe(200);
    const refused = await proxy('/apps/api', cliAuth(stack.tokens.admin), { method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^mfa_not_available_for_tokens: /);
  });

  it('accepts a backup code once, whatever its case and dashes', async () => {
    const token = await stack.session('admin');
    const code = adminBackupCodes[0].toLowerCase().replace('-', ' - ');
    const verified = await stack.api('/api/v1/mfa/verify', token, {
      method: 'POST',
      body: JSON.stringify({ code }),
    });
    expect(verified.status).toBe(200);
    const other = await stack.session('admin');
    const reused = await stack.api('/api/v1/mfa/verify', other, {
      method: 'POST',
      body: JSON.stringify({ code: adminBackupCodes[0] }),
    });
    expect(reused.status).toBe(401);
    const status = (await (await stack.api('/api/v1/mfa', token)).json()) as {
      backupCodes: { unused: number };
    };
    expect(status.backupCodes.unused).toBe(9);
  });

  it('regenerates backup codes only with a recent verification, replacing the old set', async () => {
    const token = await stack.session('admin');
    const cold = await stack.api('/api/v1/mfa/backup-codes', token, { method: 'POST' });
    expect(cold.status).toBe(401);
    const fresh = await stack.api('/api/v1/mfa/backup-codes', token, {
      method: 'POST',
      code: await freshCode(stack, 'admin', adminSecret),
    });
    expect(fresh.status).toBe(201);
    const { backupCodes } = (await fresh.json()) as { backupCodes: string[] };
    expect(backupCodes).toHaveLength(10);
    const old = await stack.api('/api/v1/mfa/verify', await stack.session('admin'), {
      method: 'POST',
      body: JSON.stringify({ code: adminBackupCodes[1] }),
    });
    expect(old.status).toBe(401);
    adminBackupCodes = backupCodes;
  });

  it('refuses to add a second factor from a session that has not verified', async () => {
    const token = await stack.session('admin');
    const start = await stack.api('/api/v1/mfa/totp', token, { method: 'POST', body: '{}' });
    expect(start.status).toBe(401);
    expect(start.headers.get('x-mfa-required')).toBe('step_up');
  });

  it('locks the account after five failures, refuses the next attempt, audits it and lets an admin unlock', async () => {
    const opsToken = await stack.session('ops');
    const { secret } = await enrolTotp(stack, opsToken);
    await awayFromStepBoundary();
    const token = await stack.session('ops');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await stack.api('/api/v1/mfa/verify', token, { method: 'POST', body: '{"code":"000000"}' });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 403]);
    const after = await stack.api('/api/v1/mfa/verify', token, {
      method: 'POST',
      body: JSON.stringify({ code: currentTotpCode(secret) }),
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: 'user_locked' });
    const audit = await stack.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE action IN ('mfa:verify_failed', 'mfa:account_locked') AND actor_email = 'ops@example.com'",
    );
    expect(audit.rows.filter((r) => r.action === 'mfa:verify_failed')).toHaveLength(5);
    expect(audit.rows.filter((r) => r.action === 'mfa:account_locked')).toHaveLength(1);
    const adminToken = await stack.session('admin');
    const unlock = await stack.api('/api/v1/users/ops@example.com/unlock', adminToken, {
      method: 'POST',
      code: await freshCode(stack, 'admin', adminSecret),
    });
    expect(unlock.status).toBe(200);
  });

  it('lets an admin reset a user who lost every factor (always level)', async () => {
    const adminToken = await stack.session('admin');
    const noCode = await stack.api('/api/v1/users/deployer@example.com/mfa', adminToken, {
      method: 'DELETE',
    });
    expect(noCode.status).toBe(401);
    const reset = await stack.api('/api/v1/users/deployer@example.com/mfa', adminToken, {
      method: 'DELETE',
      code: await freshCode(stack, 'admin', adminSecret),
    });
    expect(reset.status).toBe(200);
    const deployer = await stack.session('deployer');
    const me = (await (await stack.api('/api/v1/me', deployer)).json()) as { mfa: { enrolled: boolean } };
    expect(me.mfa.enrolled).toBe(false);
  });
});
