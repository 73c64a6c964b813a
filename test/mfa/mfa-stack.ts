import { Client } from 'pg';
import { SessionsService } from '../../src/sessions/sessions.service';
import { currentTotpCode } from '../../src/mfa/factors/totp';
import { UsersService } from '../../src/users/users.service';
import { auditSettled } from '../harness/audit-settled';
import { cliAuth, startProxyStack, type ProxyStack, type RoleName } from '../proxy/proxy-stack';

export interface MfaStack extends ProxyStack {
  db: Client;
  /** A new CLI session of `<role>@example.com` (what `rack-gateway login` stores). */
  session(role: RoleName, channel?: 'cli' | 'web'): Promise<string>;
  api(path: string, token: string, init?: RequestInit & { code?: string }): Promise<Response>;
  /** Resolves once every audit event so far is completed. */
  auditSettled(): Promise<void>;
}

export async function startMfaStack(env: Record<string, string> = {}): Promise<MfaStack> {
  const stack = await startProxyStack(env);
  const db = new Client({ connectionString: stack.gateway.databaseUrl });
  await db.connect();
  const sessions = stack.gateway.app.get(SessionsService);
  const users = stack.gateway.app.get(UsersService);
  return {
    ...stack,
    db,
    session: async (role, channel = 'cli') => {
      const user = await users.getByEmail(`${role}@example.com`);
      return (await sessions.create(user.id, channel, { userAgent: 'mfa-e2e' })).token;
    },
    api: (path, token, init = {}) => {
      const { code, ...rest } = init;
      return fetch(`${stack.gateway.url}${path}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(code ? { 'x-mfa-code': code } : {}),
          ...(rest.headers as Record<string, string> | undefined),
        },
      });
    },
    auditSettled: () => auditSettled(db),
    close: async () => {
      await db.end();
      await stack.close();
    },
  };
}

/**
 * Waits out the last seconds of a 30-second TOTP step, so a code computed now is still within ±1 step of
 * the server's clock when the request lands (otherwise a test could fail at a step boundary).
 */
export async function awayFromStepBoundary(): Promise<void> {
  const into = Date.now() % 30_000;
  if (into > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 200));
}

/** Codes of three consecutive steps, oldest first: each is accepted once, in this order (±1 step). */
export function codesAround(secret: string, now = Date.now()): [string, string, string] {
  return [
    currentTotpCode(secret, now - 30_000),
    currentTotpCode(secret, now),
    currentTotpCode(secret, now + 30_000),
  ];
}

/**
 * Forgets which TOTP step a user last used, so a test that is not about replay can take a fresh code
 * without waiting 30 seconds for the next step. Tests about replay never call this.
 */
export async function forgetUsedSteps(stack: MfaStack, role: RoleName): Promise<void> {
  await stack.db.query(
    `UPDATE mfa_methods SET last_used_step = NULL
      WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
    [`${role}@example.com`],
  );
}

export async function freshCode(stack: MfaStack, role: RoleName, secret: string): Promise<string> {
  await forgetUsedSteps(stack, role);
  await awayFromStepBoundary();
  return currentTotpCode(secret);
}

/** Enrols TOTP for a session and returns the secret and the backup codes. */
export async function enrolTotp(
  stack: MfaStack,
  token: string,
): Promise<{ secret: string; backupCodes: string[]; methodId: string }> {
  const start = await stack.api('/api/v1/mfa/totp', token, { method: 'POST', body: '{}' });
  if (start.status !== 201) throw new Error(`enrol start ${start.status}: ${await start.text()}`);
  const { methodId, secret } = (await start.json()) as { methodId: string; secret: string };
  await awayFromStepBoundary();
  const confirm = await stack.api(`/api/v1/mfa/totp/${methodId}/confirm`, token, {
    method: 'POST',
    body: JSON.stringify({ code: currentTotpCode(secret) }),
  });
  if (confirm.status !== 200) throw new Error(`enrol confirm ${confirm.status}: ${await confirm.text()}`);
  const { backupCodes } = (await confirm.json()) as { backupCodes: string[] };
  return { secret, backupCodes, methodId };
}

/** What the convox CLI sends with `RACK_URL=https://convox:<token>.totp.<code>@gateway/...`. */
export function convoxAuthWithCode(token: string, code: string): string {
  return cliAuth(`${token}.totp.${code}`);
}
