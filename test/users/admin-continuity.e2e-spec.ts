import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { createTestDatabase } from '../harness/test-database';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  body: any;
}

/**
 * A CLI session of `email` (admin calls go through the real guards). A person, not an API token: creating,
 * deleting, locking and demoting users are `always` MFA actions, which tokens can never perform (MFA does
 * not apply in tests to a person who has not enrolled).
 */
async function tokenOf(gateway: TestGateway, email: string): Promise<string> {
  const user = await gateway.app.get(UsersService).getByEmail(email);
  return (await gateway.app.get(SessionsService).create(user.id, 'cli', {})).token;
}

async function call(gateway: TestGateway, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined } as Answer;
}

async function bootstrapEvents(gateway: TestGateway, email: string) {
  return (await gateway.app.get(DataSource).query(
    `SELECT rule, result, details FROM audit_events
     WHERE action = 'gateway:user:create' AND resource_name = $1 ORDER BY chain_index`,
    [email],
  )) as { rule: string; result: string; details: string }[];
}

describe('ADMIN_USERS bootstrap', () => {
  it('creates the listed admins into a database without one, and says so in the audit trail', async () => {
    const gateway = await startTestGateway({ ADMIN_USERS: 'first@example.com' });
    try {
      const user = await gateway.app.get(UsersService).getByEmail('first@example.com');
      expect(user.roles).toEqual(['admin']);
      const [event, ...more] = await bootstrapEvents(gateway, 'first@example.com');
      expect(more).toEqual([]);
      expect(event).toMatchObject({ rule: 'bootstrap' });
      expect(event.result).not.toBe('open');
      expect(JSON.parse(event.details)).toMatchObject({
        source: 'ADMIN_USERS',
        reason: 'no active admin existed',
      });
    } finally {
      await gateway.close();
    }
  });

  it('does not bring back a deleted admin at the next start while another admin exists', async () => {
    const databaseUrl = await createTestDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      ADMIN_USERS: 'gone@example.com',
      VIEWER_USERS: 'gone@example.com',
    };
    const first = await startTestGateway(env);
    try {
      const token = await tokenOf(first, 'gone@example.com');
      expect(
        (await call(first, token, 'POST', '/users', { email: 'kept@example.com', roles: ['admin'] })).status,
      ).toBe(201);
      const kept = await tokenOf(first, 'kept@example.com');
      expect((await call(first, kept, 'DELETE', '/users/gone@example.com')).status).toBe(204);
    } finally {
      await first.close();
    }
    const second = await startTestGateway(env);
    try {
      expect(await second.app.get(UsersService).findByEmail('gone@example.com')).toBeNull();
      // Only the first start's creation is on record.
      expect(await bootstrapEvents(second, 'gone@example.com')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('the last active admin', () => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ ADMIN_USERS: 'only@example.com', VIEWER_USERS: 'viewer@example.com' });
    token = await tokenOf(gateway, 'only@example.com');
  });
  afterAll(() => gateway.close());

  it.each([
    ['deleted', 'DELETE', '/users/only@example.com', undefined, 'delete'],
    ['locked', 'POST', '/users/only@example.com/lock', { reason: 'oops' }, 'lock'],
    ['demoted', 'PATCH', '/users/only@example.com', { roles: ['viewer'] }, 'demote'],
  ])('cannot be %s (409 last_admin)', async (_what, method, path, body, verb) => {
    const answer = await call(gateway, token, method, path, body);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      error: 'last_admin',
      message: `cannot ${verb} only@example.com: it is the last active admin; make another user admin first`,
    });
    const user = await gateway.app.get(UsersService).getByEmail('only@example.com');
    expect(user.roles).toEqual(['admin']);
    expect(user.lockedAt).toBeNull();
  });

  it('still counts as the last one when the other admin is locked', async () => {
    const users = gateway.app.get(UsersService);
    await users.create({ email: 'locked-admin@example.com', roles: ['admin'] });
    await users.lock('locked-admin@example.com', 'away', 'test');
    const answer = await call(gateway, token, 'DELETE', '/users/only@example.com');
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe('last_admin');
    // Changing other users, or keeping the admin role, stays allowed.
    expect(
      (await call(gateway, token, 'PATCH', '/users/only@example.com', { roles: ['admin', 'viewer'] })).status,
    ).toBe(200);
    expect((await call(gateway, token, 'DELETE', '/users/locked-admin@example.com')).status).toBe(204);
    expect((await call(gateway, token, 'DELETE', '/users/viewer@example.com')).status).toBe(204);
  });

  it('lets exactly one of two concurrent demotions of the last two admins through', async () => {
    const users = gateway.app.get(UsersService);
    await users.create({ email: 'second@example.com', roles: ['admin'] });
    // Straight at the service, on two pooled connections at once: the race is decided in PostgreSQL.
    for (let round = 0; round < 10; round++) {
      const outcomes = await Promise.allSettled([
        users.update('second@example.com', { roles: ['viewer'] }),
        users.update('only@example.com', { roles: ['viewer'] }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as { getResponse(): unknown }).getResponse()).toMatchObject({
        error: 'last_admin',
      });
      const admins = (await users.list({ role: 'admin' })).filter((user) => user.lockedAt === null);
      expect(admins).toHaveLength(1);
      await users.update(admins[0].email === 'only@example.com' ? 'second@example.com' : 'only@example.com', {
        roles: ['admin'],
      });
    }
    // Delete and lock race the same way.
    const mixed = await Promise.allSettled([
      users.delete('second@example.com'),
      users.lock('only@example.com', 'race', 'test'),
    ]);
    expect(mixed.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('cannot be locked through `npm run manage -- lock-user` either', async () => {
    const users = gateway.app.get(UsersService);
    const [admin] = (await users.list({ role: 'admin' })).filter((user) => user.lockedAt === null);
    for (const other of await users.list({ role: 'admin' }))
      if (other.email !== admin.email && other.lockedAt === null)
        await users.update(other.email, { roles: ['viewer'] });
    // The built script, as `npm run manage` runs it, on the gateway's database with the operator's settings.
    const script = join(__dirname, '..', '..', 'dist', 'src', 'manage', 'manage.cli.js');
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: gateway.databaseUrl,
      AUDIT_HMAC_SECRET: gateway.config.audit.hmacSecret,
      SESSION_SECRET: gateway.config.session.secret,
      AUDIT_STDOUT: 'false',
    };
    const out = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        'node',
        [script, 'lock-user', '--email', admin.email, '--reason', 'x'],
        { env },
        (error, _o, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      ),
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`cannot lock ${admin.email}: it is the last active admin`);
    expect((await users.getByEmail(admin.email)).lockedAt).toBeNull();
  });
});
