import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';
import { enrolTotp, startMfaStack, type MfaStack } from './mfa-stack';

const MANAGE_SCRIPT = join(__dirname, '..', '..', 'dist', 'src', 'manage', 'manage.cli.js');

function manage(env: Record<string, string | undefined>, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [MANAGE_SCRIPT, ...args],
      { env: { PATH: process.env.PATH, AUDIT_STDOUT: 'false', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const keyId = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 8);

describe('MFA operator commands: dev-only totp-code and key rotation', () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  let stack: MfaStack;
  let rotated: TestGateway | undefined;
  let operatorEnv: Record<string, string | undefined>;

  beforeAll(async () => {
    stack = await startMfaStack({ MFA_ENCRYPTION_KEY: oldKey });
    await enrolTotp(stack, await stack.session('admin'));
    operatorEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: stack.gateway.databaseUrl,
      SESSION_SECRET: stack.gateway.config.session.secret,
      AUDIT_HMAC_SECRET: stack.gateway.config.audit.hmacSecret,
      MFA_ENCRYPTION_KEY: oldKey,
    };
  }, 60_000);
  afterAll(async () => {
    await rotated?.close();
    await stack?.close();
  });

  it('prints the current code of a test user in development, which the gateway accepts', async () => {
    const out = await manage(operatorEnv, ['totp-code', '--email', 'admin@example.com']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^\d{6}\n$/);
    // Enrolment used this step already; forget it so the printed code is not a replay.
    await stack.db.query('UPDATE mfa_methods SET last_used_step = NULL');
    const token = await stack.session('admin');
    const verified = await stack.api('/api/v1/mfa/verify', token, {
      method: 'POST',
      body: JSON.stringify({ code: out.stdout.trim() }),
    });
    expect(verified.status).toBe(200);
  });

  it('refuses totp-code in production', async () => {
    const out = await manage(
      {
        ...operatorEnv,
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://gateway.example.com',
        RACK_URL: 'https://rack.example.com',
        RACK_TOKEN: 'rack-token-for-the-refusal-test',
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 'secret-for-the-refusal-test',
      },
      ['totp-code', '--email', 'admin@example.com'],
    );
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/totp-code is a development command/);
  });

  it('re-seals every TOTP secret with the new key, after which the old key can go', async () => {
    const out = await manage(
      { ...operatorEnv, MFA_ENCRYPTION_KEY: newKey, MFA_ENCRYPTION_KEY_PREVIOUS: oldKey },
      ['mfa-rotate-key'],
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/re-sealed 1 TOTP secret/);
    const { rows } = await stack.db.query<{ secret_sealed: string }>('SELECT secret_sealed FROM mfa_methods');
    expect(rows.every((r) => r.secret_sealed.startsWith(`v1:${keyId(newKey)}:`))).toBe(true);

    rotated = await startTestGateway({
      DATABASE_URL: stack.gateway.databaseUrl,
      MFA_ENCRYPTION_KEY: newKey,
      SESSION_SECRET: stack.gateway.config.session.secret,
      AUDIT_HMAC_SECRET: stack.gateway.config.audit.hmacSecret,
    });
    const code = await manage({ ...operatorEnv, MFA_ENCRYPTION_KEY: newKey }, [
      'totp-code',
      '--email',
      'admin@example.com',
    ]);
    await stack.db.query('UPDATE mfa_methods SET last_used_step = NULL');
    const admin = await rotated.app.get(UsersService).getByEmail('admin@example.com');
    const { token } = await rotated.app.get(SessionsService).create(admin.id, 'cli', {});
    const verified = await fetch(`${rotated.url}/api/v1/mfa/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.stdout.trim() }),
    });
    expect(verified.status).toBe(200);
  });
});
