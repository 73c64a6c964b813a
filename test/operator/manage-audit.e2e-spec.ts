import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersService } from '../../src/users/users.service';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

jest.setTimeout(120_000);

// The built scripts, as `npm run manage` and `npm run audit:verify` run them (build before e2e).
const DIST = join(__dirname, '..', '..', 'dist', 'src');
const OPERATOR = `operator:${userInfo().username}`;
const ANY_UUID = expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown;

interface EventRow {
  action: string;
  actor_email: string;
  decision: string;
  rule: string | null;
  resource_type: string;
  resource_name: string;
  status: number | null;
  result: string;
  details: string;
  outcome_details: string | null;
}

/** One state-changing operator command and the event it must leave, read like its admin API route's. */
interface ManageChange {
  name: string;
  args: string[];
  /** What the command needs that earlier rows did not make (each row runs alone with -t). */
  prepare?: (gateway: TestGateway) => Promise<void>;
  action: string;
  status: number;
  resource: [string, string] | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** What the services note in the outcome, as they do for the route. */
  outcome?: Record<string, unknown>;
}

async function newUser(gateway: TestGateway, email: string, roles = ['deployer']): Promise<void> {
  await gateway.app.get(UsersService).create({ email, roles });
}

/** Every state-changing `npm run manage` command; the matching rows of test/audit/admin-changes.ts. */
const CHANGES: ManageChange[] = [
  {
    name: 'create-user',
    args: ['create-user', '--email', 'Made.By.Op@example.com', '--role', 'viewer', '--name', 'Made'],
    action: 'gateway:user:create',
    status: 201,
    resource: null,
    before: null,
    after: {
      email: 'made.by.op@example.com',
      name: 'Made',
      roles: ['viewer'],
      locked: false,
      lockedReason: null,
      lockedBy: null,
    },
  },
  {
    name: 'create-token',
    args: ['create-token', '--email', 'token.owner@example.com', '--name', 'ci', '--role', 'viewer'],
    prepare: (gateway) => newUser(gateway, 'token.owner@example.com'),
    action: 'gateway:token:create',
    status: 201,
    resource: null,
    before: null,
    after: {
      tokenId: ANY_UUID,
      tokenName: 'ci',
      owner: 'token.owner@example.com',
      permissions: expect.arrayContaining(['convox:app:list']) as unknown,
      createdBy: OPERATOR,
      expiresAt: null,
      revokedAt: null,
      revokedBy: null,
    },
    outcome: { tokenId: ANY_UUID, tokenName: 'ci', owner: 'token.owner@example.com' },
  },
  {
    name: 'revoke-sessions',
    args: ['revoke-sessions', '--email', 'laptop.owner@example.com'],
    prepare: async (gateway) => {
      await newUser(gateway, 'laptop.owner@example.com');
      const user = await gateway.app.get(UsersService).getByEmail('laptop.owner@example.com');
      await gateway.app.get(SessionsService).create(user.id, 'cli', {});
    },
    action: 'gateway:session:revoke',
    status: 200,
    resource: ['user', 'laptop.owner@example.com'],
    before: { owner: 'laptop.owner@example.com', activeSessions: 1, activeSessionIds: [ANY_UUID] },
    after: { owner: 'laptop.owner@example.com', activeSessions: 0, activeSessionIds: [] },
    outcome: { all: true, revoked: 1 },
  },
  {
    name: 'lock-user',
    args: ['lock-user', '--email', 'leaver@example.com', '--reason', 'left the team'],
    prepare: (gateway) => newUser(gateway, 'leaver@example.com'),
    action: 'gateway:user:lock',
    status: 200,
    resource: ['email', 'leaver@example.com'],
    before: { email: 'leaver@example.com', locked: false, lockedReason: null, lockedBy: null },
    after: { email: 'leaver@example.com', locked: true, lockedReason: 'left the team', lockedBy: OPERATOR },
    outcome: { reason: 'left the team', sessionsRevoked: 0 },
  },
];

/** Refused operator commands: still one event, with the state found before, the error code and no after. */
const FAILURES = [
  {
    name: 'locking a user who does not exist',
    args: ['lock-user', '--email', 'ghost@example.com', '--reason', 'x'],
    action: 'gateway:user:lock',
    status: 404,
    error: 'user_not_found',
    before: null,
  },
  {
    name: 'creating a user who exists',
    args: ['create-user', '--email', 'admin@example.com', '--role', 'viewer'],
    action: 'gateway:user:create',
    status: 409,
    error: 'user_exists',
    before: { email: 'admin@example.com', roles: ['admin'], locked: false },
  },
  {
    name: 'a command missing an option',
    args: ['revoke-sessions'],
    action: 'gateway:session:revoke',
    status: 400,
    error: 'bad_request',
    before: null,
  },
];

/**
 * `npm run manage` changes are audited exactly like the admin API's: the same action, resource and status,
 * the subject's state before (`details.before`, written before anything changes) and after
 * (`outcome_details.after`), read by the same snapshot classes — and no event stays open.
 */
describe('operator commands record before and after like the admin API', () => {
  let gateway: TestGateway;
  let db: Client;

  function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: gateway.databaseUrl,
      AUDIT_HMAC_SECRET: gateway.config.audit.hmacSecret,
      SESSION_SECRET: gateway.config.session.secret,
      AUDIT_STDOUT: 'false',
    };
    return new Promise((resolve) => {
      execFile('node', [join(DIST, script), ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** Runs a command and returns the events it wrote (everything chained after the head before it). */
  async function eventsOf(args: string[]) {
    const head = await db.query<{ head: string }>(
      'SELECT coalesce(max(chain_index), -1)::text AS head FROM audit_events',
    );
    const out = await run('manage/manage.cli.js', args);
    const rows = await db.query<EventRow>(
      `SELECT action, actor_email, decision, rule, resource_type, resource_name, status, result, details,
              outcome_details
         FROM audit_events WHERE chain_index > $1 ORDER BY chain_index`,
      [head.rows[0].head],
    );
    return { out, events: rows.rows };
  }

  async function expectChainClosed(): Promise<void> {
    const verified = await run('audit/verify.cli.js', []);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, open: { count: 0 } });
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ LOG_LEVEL: 'error', ADMIN_USERS: 'admin@example.com' });
    db = new Client({ connectionString: gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await gateway?.close();
  });

  it.each(CHANGES)('records $name with its before and after', async (change) => {
    await change.prepare?.(gateway);
    const { out, events } = await eventsOf(change.args);
    expect({ code: out.code, stderr: out.stderr }).toMatchObject({ code: 0 });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      action: change.action,
      actor_email: OPERATOR,
      decision: 'allow',
      rule: 'operator-command',
      resource_type: change.resource?.[0] ?? '',
      resource_name: change.resource?.[1] ?? '',
      status: change.status,
      result: 'success',
    });
    const details = JSON.parse(event.details) as Record<string, unknown>;
    expect(Object.keys(details)).toEqual(['before']);
    if (change.before === null) expect(details.before).toBeNull();
    else expect(details.before).toMatchObject(change.before);
    const outcome = JSON.parse(event.outcome_details ?? '{}') as Record<string, unknown>;
    expect(outcome.after).toMatchObject(change.after ?? {});
    expect(outcome).toMatchObject(change.outcome ?? {});
    // A token's secret or hash never reaches the trail, not even in its after.
    expect(`${event.details}${event.outcome_details}`).not.toMatch(/rgw_|hash/i);
    await expectChainClosed();
  });

  it.each(FAILURES)('records $name once, with the state before and no after', async (failure) => {
    const { out, events } = await eventsOf(failure.args);
    expect(out.code).toBe(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: failure.action, status: failure.status, result: 'failed' });
    const { before } = JSON.parse(events[0].details) as { before?: unknown };
    if (failure.before === null) expect(before).toBeNull();
    else expect(before).toMatchObject(failure.before);
    const outcome = JSON.parse(events[0].outcome_details ?? '{}') as Record<string, unknown>;
    expect(outcome).toEqual({ error: failure.error });
    await expectChainClosed();
  });
});
