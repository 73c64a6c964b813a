import { Client } from 'pg';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { permissionsForRoles } from '../../src/rbac/roles';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';
import { LogCapture } from '../harness/log-capture';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

const RACK_PASSWORD = 'rack-password-for-the-error-filter';

/**
 * An internal error — here a real one: a table the route reads is gone — becomes a generic answer with the
 * request id and nothing else (no SQL, no table name, no stack, no secret); the log has the details under
 * the same request id. On the rack proxy the answer has the convox CLI's shape.
 */
describe('the global error filter never leaks internals', () => {
  const logs = new LogCapture();
  let rack: MockRack;
  let gateway: TestGateway;
  let db: Client;
  let token: string;

  beforeAll(async () => {
    rack = await startMockRack({ port: 0, password: RACK_PASSWORD });
    gateway = await startTestGateway(
      { RACK_URL: rack.url, RACK_TOKEN: RACK_PASSWORD, ADMIN_USERS: 'admin@example.com', LOG_LEVEL: 'error' },
      { logDestination: logs },
    );
    const admin = await gateway.app.get(UsersService).getByEmail('admin@example.com');
    const grantor = { email: admin.email, permissions: permissionsForRoles(admin.roles) };
    token = (await gateway.app.get(ApiTokensService).create(admin, { name: 'admin', role: 'admin' }, grantor))
      .token;
    db = new Client({ connectionString: gateway.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await gateway?.close();
    await rack?.close();
  });

  /** What must never reach a client: the SQL and table behind the failure, a stack frame, a secret. */
  function expectNothingInternal(text: string): void {
    for (const leak of [
      'user_sessions',
      'audit_events',
      'SELECT',
      'INSERT',
      'relation',
      'QueryFailedError',
      '    at ',
      '.ts:',
      '.js:',
      gateway.config.session.secret!,
      gateway.config.audit.hmacSecret!,
      token,
      RACK_PASSWORD,
    ]) {
      expect(text).not.toContain(leak);
    }
  }

  it('answers an admin route whose query fails with a bare 500 and the request id, and logs the cause', async () => {
    await db.query('ALTER TABLE user_sessions RENAME TO user_sessions_gone');
    try {
      const response = await fetch(`${gateway.url}/api/v1/sessions`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await response.text();
      const requestId = response.headers.get('x-request-id');
      expect(response.status).toBe(500);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'internal error', requestId });
      expectNothingInternal(text);

      const logged = logs
        .text()
        .split('\n')
        .filter((line) => line.includes(requestId!) && line.includes('user_sessions'));
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.join('\n')).toContain('"stack"');
    } finally {
      await db.query('ALTER TABLE user_sessions_gone RENAME TO user_sessions');
    }
    // Nothing was left broken: the same call works again.
    const again = await fetch(`${gateway.url}/api/v1/sessions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(200);
  });

  it('refuses a proxied call whose audit write fails in the convox shape, naming no internals', async () => {
    await db.query('ALTER TABLE audit_events RENAME TO audit_events_gone');
    try {
      const basic = `Basic ${Buffer.from(`convox:${token}`).toString('base64')}`;
      const response = await fetch(`${gateway.url}/api/v1/rack-proxy/apps`, {
        headers: { authorization: basic },
      });
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(Object.keys(JSON.parse(text))).toEqual(['error']);
      expectNothingInternal(text);
      // Fail closed: the rack never saw the call the audit log could not record.
      expect(rack.requests.filter((r) => r.path === '/apps')).toEqual([]);
    } finally {
      await db.query('ALTER TABLE audit_events_gone RENAME TO audit_events');
    }
  });
});
