import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTestGateway, TestGateway } from '../harness/test-gateway';

// The built script, as `npm run manage` runs it (jest's e2e setup does not build; `npm test` does).
const MANAGE_SCRIPT = join(__dirname, '..', '..', 'dist', 'src', 'manage', 'manage.cli.js');
const OPERATOR = `operator:${userInfo().username}`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one operator command against the gateway's database, with the settings an operator would have. */
function manage(gateway: TestGateway, args: string[]): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: gateway.databaseUrl,
    AUDIT_HMAC_SECRET: gateway.config.audit.hmacSecret,
    SESSION_SECRET: gateway.config.session.secret,
    AUDIT_STDOUT: 'false',
  };
  return new Promise((resolve) => {
    execFile('node', [MANAGE_SCRIPT, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function me(gateway: TestGateway, token: string) {
  const res = await fetch(`${gateway.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  return { status: res.status, body: (await res.json()) as any };
}

describe('operator commands (npm run manage)', () => {
  let gateway: TestGateway;
  let db: Client;

  async function operatorEvents(action: string, resource: string) {
    const result = await db.query<{ actor_email: string; decision: string; details: string }>(
      `SELECT actor_email, decision, details FROM audit_events
       WHERE action = $1 AND (resource_name = $2 OR outcome_details::jsonb -> 'after' ->> 'email' = $2
             OR outcome_details::jsonb -> 'after' ->> 'tokenId' = $2)
       ORDER BY chain_index`,
      [action, resource],
    );
    return result.rows;
  }

  beforeAll(async () => {
    // The gateway applies the migrations; the commands then share its database as an operator's would.
    gateway = await startTestGateway({ LOG_LEVEL: 'error', ADMIN_USERS: 'admin@example.com' });
    db = new Client({ connectionString: gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await gateway?.close();
  });

  it('creates a user with a role, and records the operator as the actor', async () => {
    const out = await manage(gateway, [
      'create-user',
      '--email',
      'Ci.Owner@Example.com',
      '--role',
      'deployer',
    ]);
    expect(out).toMatchObject({ code: 0, stdout: '' });
    expect(out.stderr).toContain('created ci.owner@example.com (deployer)');
    const user = await db.query('SELECT roles FROM users WHERE email = $1', ['ci.owner@example.com']);
    expect(user.rows[0].roles).toEqual(['deployer']);
    const events = await operatorEvents('gateway:user:create', 'ci.owner@example.com');
    expect(events).toEqual([expect.objectContaining({ actor_email: OPERATOR, decision: 'allow' })]);
  });

  it('prints only a working cicd token, which a lock then disables at once', async () => {
    await manage(gateway, ['create-user', '--email', 'bot-owner@example.com', '--role', 'deployer']);
    const out = await manage(gateway, [
      'create-token',
      '--email',
      'bot-owner@example.com',
      '--name',
      'github-actions',
      '--role',
      'cicd',
      '--expires-in',
      '30d',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^rgw_[A-Za-z0-9_-]{43}\n$/);
    const token = out.stdout.trim();

    const ok = await me(gateway, token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: 'token', email: 'bot-owner@example.com' });
    const stored = await db.query<{ id: string; name: string; days: number }>(
      `SELECT id, name, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days
       FROM api_tokens WHERE name = 'github-actions'`,
    );
    expect(stored.rows[0].days).toBe(30);
    const created = await operatorEvents('gateway:token:create', stored.rows[0].id);
    expect(created).toEqual([expect.objectContaining({ actor_email: OPERATOR })]);

    const locked = await manage(gateway, [
      'lock-user',
      '--email',
      'bot-owner@example.com',
      '--reason',
      'leak',
    ]);
    expect(locked.code).toBe(0);
    const refused = await me(gateway, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('user_locked');
    const lockEvents = await operatorEvents('gateway:user:lock', 'bot-owner@example.com');
    expect(lockEvents).toEqual([expect.objectContaining({ actor_email: OPERATOR })]);
  });

  it('revokes every session of a user, which then stop working', async () => {
    await manage(gateway, ['create-user', '--email', 'laptop@example.com', '--role', 'viewer']);
    // A session as a login would leave it, opened through the gateway's own service.
    const { SessionsService } = await import('../../src/sessions/sessions.service');
    const user = await db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [
      'laptop@example.com',
    ]);
    const { token } = await gateway.app.get(SessionsService).create(user.rows[0].id, 'cli', {});
    expect((await me(gateway, token)).status).toBe(200);

    const out = await manage(gateway, ['revoke-sessions', '--email', 'laptop@example.com']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('revoked 1 session(s) of laptop@example.com');
    const refused = await me(gateway, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('session_revoked');
    const events = await operatorEvents('gateway:session:revoke', 'laptop@example.com');
    expect(events).toEqual([expect.objectContaining({ actor_email: OPERATOR })]);
  });

  it.each([
    [
      'an unknown role',
      ['create-user', '--email', 'x@example.com', '--role', 'wizard'],
      /invalid role: wizard \(valid roles: /,
    ],
    ['a missing --email', ['create-user', '--role', 'viewer'], /--email is required/],
    [
      'an unknown user',
      ['create-token', '--email', 'ghost@example.com', '--name', 'n', '--role', 'cicd'],
      /no user ghost@example.com/,
    ],
    [
      'an unknown user to lock',
      ['lock-user', '--email', 'ghost@example.com', '--reason', 'r'],
      /no user ghost@example.com/,
    ],
    [
      'a bad expiry',
      ['create-token', '--email', 'admin@example.com', '--name', 'n', '--expires-in', 'soon'],
      /--expires-in/,
    ],
    ['an unknown command', ['make-coffee'], /usage: npm run manage/],
    ['an unknown option', ['create-user', '--email', 'x@example.com', '--colour', 'red'], /--colour/],
  ])('refuses %s with a clear message, a non-zero exit and no stack trace', async (_what, args, message) => {
    const out = await manage(gateway, args);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});
