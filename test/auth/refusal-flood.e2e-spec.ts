import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AuditChainService } from '../../src/audit/audit-chain.service';
import { RefusalAuditAggregator } from '../../src/audit/refusal-aggregator';
import { SessionsService } from '../../src/sessions/sessions.service';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { AuthStack, bearer, startAuthStack } from './auth-fixture';

const LIMIT = 5;
const FLOOD = 60;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: string; message?: string };
}

interface RefusalRow {
  action: string;
  rule: string;
  status: number;
  result: string;
  event_count: number;
  details: string;
  outcome_details: string | null;
}

/** The refusal summary an event carries: folded into the first refusal's outcome, or its own details. */
function summaryOf(row: RefusalRow): { reason: string; minute: string; count: number; limited: number } {
  const outcome = JSON.parse(row.outcome_details ?? '{}') as { refusals?: unknown };
  const details = JSON.parse(row.details) as { refusals?: unknown };
  return (outcome.refusals ?? details.refusals ?? {}) as ReturnType<typeof summaryOf>;
}

const randomToken = () => `rgw_${randomBytes(32).toString('base64url')}`;

/**
 * Floods of requests without a valid credential, as issue 9 found them: every client here is 127.0.0.1, so
 * the gateway trusts one proxy hop and each test speaks from its own X-Forwarded-For address.
 */
describe('floods of requests without valid credentials', () => {
  let stack: AuthStack;
  let nextAddress = 1;
  const freshIp = () => `203.0.113.${nextAddress++}`;

  async function send(path: string, ip: string, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${stack.gateway.url}${path}`, {
      headers: { 'x-forwarded-for': ip, ...headers },
    });
    const text = await res.text();
    let body: Answer['body'] = {};
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      // not JSON: the assertions on status say enough
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  }

  /** `total` requests, `concurrency` at a time, like many clients behind one address. */
  async function flood(total: number, request: () => Promise<Answer>, concurrency = 30): Promise<Answer[]> {
    const answers: Answer[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent += 1;
          answers.push(await request());
        }
      }),
    );
    return answers;
  }

  async function tokenOf(email: string): Promise<string> {
    const user = await stack.gateway.app.get(UsersService).getByEmail(email);
    const grantor = { email, permissions: permissionsForRoles(user.roles) };
    const created = await stack.gateway.app
      .get(ApiTokensService)
      .create(user, { name: `t-${randomBytes(3).toString('hex')}`, role: 'viewer' }, grantor);
    return created.token;
  }

  async function sessionOf(email: string): Promise<string> {
    const user = await stack.gateway.app.get(UsersService).getByEmail(email);
    return (await stack.gateway.app.get(SessionsService).create(user.id, 'cli', {})).token;
  }

  async function refusalRows(ip: string): Promise<RefusalRow[]> {
    const result = await stack.db.query<RefusalRow>(
      `SELECT action, rule, status, result, event_count, details, outcome_details
         FROM audit_events WHERE client_ip = $1 ORDER BY chain_index`,
      [ip],
    );
    return result.rows;
  }

  function expectLimited(answer: Answer, message: RegExp): void {
    expect(answer.status).toBe(429);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
    expect(answer.body.error).toBe('rate_limited');
    expect(answer.body.message).toMatch(message);
    expect(answer.body.message).toMatch(new RegExp(`try again in ${answer.retryAfter} s`));
  }

  beforeAll(async () => {
    stack = await startAuthStack({ AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an unauthenticated flood with 429 and Retry-After once the address is over its budget', async () => {
    const ip = freshIp();
    const answers = await flood(FLOOD, () => send('/api/v1/me', ip));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(LIMIT);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(FLOOD - LIMIT);
    for (const answer of limited) {
      expectLimited(answer, /too many requests without valid credentials from this address/);
    }
    // The rack proxy shares the address's budget and answers in the convox CLI's shape.
    const proxied = await send('/api/v1/rack-proxy/apps', ip);
    expect(proxied.status).toBe(429);
    expect(Number(proxied.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(proxied.body.error).toMatch(/too many requests without valid credentials from this address/);
    // Another address is not affected.
    const other = await send('/api/v1/me', freshIp());
    expect(other.status).toBe(401);
    expect(other.body.error).toBe('authentication_required');
  });

  it('records the flood as one event per address, reason and minute, with the count and an outcome', async () => {
    const ip = freshIp();
    await flood(FLOOD, () => send('/api/v1/me', ip));
    await flood(FLOOD, () => send('/api/v1/me', ip, bearer('not-a-credential')));
    await stack.gateway.app.get(RefusalAuditAggregator).flush(true);

    const rows = await refusalRows(ip);
    const perReasonAndMinute = new Map<string, RefusalRow[]>();
    for (const row of rows) {
      const summary = summaryOf(row);
      const key = `${summary.reason}|${summary.minute}`;
      perReasonAndMinute.set(key, [...(perReasonAndMinute.get(key) ?? []), row]);
    }
    for (const [key, group] of perReasonAndMinute)
      expect({ key, rows: group.length }).toEqual({ key, rows: 1 });
    const total = (reason: string) =>
      rows.filter((row) => summaryOf(row).reason === reason).reduce((sum, row) => sum + row.event_count, 0);
    expect(total('authentication_required')).toBe(FLOOD);
    expect(total('invalid_credentials')).toBe(FLOOD);
    // Two reasons within at most two minutes: a handful of rows for 120 requests.
    expect(rows.length).toBeLessThanOrEqual(4);
    for (const row of rows) expect(row.result).toBe('denied');
    expect(rows.find((row) => summaryOf(row).reason === 'authentication_required')).toMatchObject({
      rule: 'authentication_required',
    });
    const verification = await stack.gateway.app.get(AuditChainService).verify();
    expect(verification.ok).toBe(true);
    expect(verification.open.count).toBe(0);
  });

  it('keeps valid tokens and sessions working from a flooded address while bad tokens get 429', async () => {
    const ip = freshIp();
    const bad = await flood(FLOOD, () => send('/api/v1/me', ip, bearer(randomToken())));
    expect(bad.filter((a) => a.status === 401)).toHaveLength(LIMIT);
    for (const answer of bad.filter((a) => a.status !== 401)) {
      expectLimited(answer, /too many rejected credentials from this address/);
    }
    // A token and a session this gateway has never seen, then the same again: all answered.
    const token = await tokenOf('viewer@example.com');
    const session = await sessionOf('ops@example.com');
    for (let round = 0; round < 3; round += 1) {
      const viaToken = await send('/api/v1/me', ip, bearer(token));
      expect({ round, status: viaToken.status }).toEqual({ round, status: 200 });
      const viaSession = await send('/api/v1/me', ip, bearer(session));
      expect({ round, status: viaSession.status }).toEqual({ round, status: 200 });
      expect((await send('/api/v1/me', ip, { cookie: `rgw_session=${session}` })).status).toBe(200);
    }
    // Meanwhile the flood of guesses (new and repeated) keeps getting 429.
    const guess = randomToken();
    for (const credential of [guess, guess, randomToken()]) {
      expectLimited(await send('/api/v1/me', ip, bearer(credential)), /too many rejected credentials/);
    }
  });

  it('still ends a revoked credential at once, even after it was used from a flooded address', async () => {
    const ip = freshIp();
    await flood(FLOOD, () => send('/api/v1/me', ip));
    const user = await stack.gateway.app.get(UsersService).getByEmail('deployer@example.com');
    const { token, session } = await stack.gateway.app.get(SessionsService).create(user.id, 'cli', {});
    expect((await send('/api/v1/me', ip, bearer(token))).status).toBe(200);
    await stack.gateway.app.get(SessionsService).revoke(session.id, null, 'test');
    const after = await send('/api/v1/me', ip, bearer(token));
    expect(after.status).toBe(429);
    const elsewhere = await send('/api/v1/me', freshIp(), bearer(token));
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error).toBe('session_revoked');
  });
});

/**
 * The limit must hold before any database work: with the gateway's database refusing connections, a
 * flooding address still gets 429 (the limit decided in memory), while a request that needs the database
 * fails — which shows the database really was out of reach.
 */
describe('refusing a flood without the database', () => {
  let stack: AuthStack;
  let admin: Client;
  let database: string;
  let gatewayClosed = false;
  const ip = '198.18.0.7';

  const send = async (headers: Record<string, string> = {}, from = ip) => {
    const res = await fetch(`${stack.gateway.url}/api/v1/me`, {
      headers: { 'x-forwarded-for': from, ...headers },
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };

  async function cutDatabase(allow: boolean): Promise<void> {
    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS ${allow}`);
    if (!allow) {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        database,
      ]);
    }
  }

  beforeAll(async () => {
    stack = await startAuthStack({ AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY_HOPS: '1' });
    const url = new URL(stack.gateway.databaseUrl);
    database = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    // The fixture's own connection would be cut with the others; it is not needed here.
    await stack.db.end();
  });
  afterAll(async () => {
    await cutDatabase(true).catch(() => undefined);
    await admin?.end();
    if (!gatewayClosed) await stack?.gateway.close();
    await stack?.oauth.stop();
  });

  it('answers 429 with Retry-After while the database is unreachable, and writes the count afterwards', async () => {
    const known = randomToken();
    expect((await send(bearer(known))).status).toBe(401);
    for (let i = 0; i < LIMIT; i += 1) await send();
    expect((await send()).status).toBe(429);

    await cutDatabase(false);
    try {
      const needsDatabase = await send(bearer(randomToken()), '198.18.0.99');
      expect(needsDatabase.status).toBeGreaterThanOrEqual(500);
      for (const headers of [{}, bearer(known), bearer('rgw_short'), { authorization: 'Digest x' }]) {
        const answer = await send(headers);
        expect({ headers, status: answer.status }).toEqual({ headers, status: 429 });
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await cutDatabase(true);
    }
    // Counted in memory while the database was away; written when the gateway stops.
    await stack.gateway.close();
    gatewayClosed = true;
    const db = new Client({ connectionString: stack.gateway.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query<RefusalRow>(
        'SELECT action, rule, status, result, event_count, details, outcome_details FROM audit_events WHERE client_ip = $1',
        [ip],
      );
      const counted = rows.rows.reduce((sum, row) => sum + row.event_count, 0);
      // 1 unknown token, LIMIT + 1 without credentials, then 4 refusals during the outage.
      expect(counted).toBe(1 + LIMIT + 1 + 4);
      expect(rows.rows.every((row) => row.result !== 'open')).toBe(true);
    } finally {
      await db.end();
    }
  });
});
