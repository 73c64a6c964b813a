import { SessionsService } from '../../src/sessions/sessions.service';
import { DESTRUCTIVE_ACTIONS_DISABLED } from '../../src/proxy/destructive-routes';
import { UsersService } from '../../src/users/users.service';
import { cliAuth } from '../proxy/proxy-stack';
import { startSettingsStack, type SettingsStack } from './settings-fixture';

/** A changed setting is obeyed by the very next request: no restart, no delay. */
describe('settings take effect on the next request', () => {
  let t: SettingsStack;
  const call = (...args: Parameters<SettingsStack['call']>) => t.call(...args);
  let adminToken: string;
  let db: SettingsStack['db'];
  let stack: SettingsStack['stack'];

  beforeAll(async () => {
    t = await startSettingsStack();
    ({ adminToken, db, stack } = t);
  });
  afterAll(() => t?.close());

  it('refuses destructive rack calls until allow_destructive_actions is on, at the very next request', async () => {
    const deleteApp = () =>
      fetch(`${stack.proxyUrl}/apps/myapp`, {
        method: 'DELETE',
        // A person's session: deleting an app is an `always` MFA action that no API token may perform.
        headers: { authorization: cliAuth(adminToken) },
      });
    stack.rack.clearRequests();
    const refused = await deleteApp();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: DESTRUCTIVE_ACTIONS_DISABLED });
    expect(stack.rack.requests).toEqual([]);
    await t.auditSettled();
    const [event] = (
      await db.query<{ decision: string; rule: string; status: number }>(
        `SELECT decision, rule, status FROM audit_events WHERE action = 'convox:app:delete' ORDER BY chain_index DESC LIMIT 1`,
      )
    ).rows;
    expect(event).toEqual({ decision: 'deny', rule: 'setting:proxy.allow_destructive_actions', status: 403 });

    expect(
      (await call(adminToken, 'PUT', '/settings/proxy.allow_destructive_actions', { value: true })).status,
    ).toBe(200);
    const allowed = await deleteApp();
    expect(allowed.status).toBe(200);
    expect(stack.rack.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /apps/myapp']);
    await call(adminToken, 'DELETE', '/settings/proxy.allow_destructive_actions');
  });

  it('ends idle browser sessions at their next request once the idle timeout is shortened', async () => {
    const user = await stack.gateway.app.get(UsersService).getByEmail('ops@example.com');
    const { token, session } = await stack.gateway.app.get(SessionsService).create(user.id, 'web', {});
    await db.query(`UPDATE user_sessions SET last_used_at = now() - interval '10 minutes' WHERE id = $1`, [
      session.id,
    ]);
    const me = () => fetch(`${stack.gateway.url}/api/v1/me`, { headers: { cookie: `rgw_session=${token}` } });
    expect((await me()).status).toBe(200);
    await db.query(`UPDATE user_sessions SET last_used_at = now() - interval '10 minutes' WHERE id = $1`, [
      session.id,
    ]);

    expect(
      (await call(adminToken, 'PUT', '/settings/sessions.web_idle_timeout', { value: '5m' })).status,
    ).toBe(200);
    const expired = await me();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'session_expired' });
    await call(adminToken, 'DELETE', '/settings/sessions.web_idle_timeout');
  });
});
