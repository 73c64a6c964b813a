import { SETTINGS } from '../../src/settings/settings-registry';
import { startSettingsStack, type SettingEventRow, type SettingsStack } from './settings-fixture';

const CANARY = 'ccipat_canary_0d9f1e77aa';

/** One way of recording a change: the route's snapshot, before in the event's details, after in its outcome. */
const changeOf = (event: SettingEventRow) => ({
  before: (JSON.parse(event.details) as { before: unknown }).before,
  after: (JSON.parse(event.outcome_details) as { after: unknown }).after,
});

describe('settings API against the real gateway and PostgreSQL', () => {
  let t: SettingsStack;
  const call = (...args: Parameters<SettingsStack['call']>) => t.call(...args);
  const settingEvents = () => t.settingEvents();
  let adminToken: string;
  let readerToken: string;
  let db: SettingsStack['db'];
  let stack: SettingsStack['stack'];

  beforeAll(async () => {
    t = await startSettingsStack({
      RGW_SETTING_AUDIT_RETENTION_DAYS: '90',
      RGW_APP_MYAPP_SETTING_VCS_REPO: 'acme/myapp',
      SESSION_CLI_IDLE_DAYS: '7',
    });
    ({ adminToken, readerToken, db, stack } = t);
  });
  afterAll(() => t?.close());

  it('lists every global setting with value, source, default and description', async () => {
    const { status, body } = await call(readerToken, 'GET', '/settings');
    expect(status).toBe(200);
    expect(body.map((s: { key: string }) => s.key)).toEqual(
      SETTINGS.filter((s) => s.scope === 'global').map((s) => s.key),
    );
    expect(body.find((s: { key: string }) => s.key === 'proxy.allow_destructive_actions')).toEqual({
      key: 'proxy.allow_destructive_actions',
      scope: 'global',
      type: 'boolean',
      rule: 'true or false',
      value: false,
      source: 'default',
      environmentVariable: 'RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS',
      default: false,
      description: expect.stringContaining('irreversible') as unknown,
      sensitive: false,
    });
  });

  it('says which environment variable won, RGW_ and older ones alike, globally and per app', async () => {
    expect((await call(readerToken, 'GET', '/settings/audit.retention_days')).body).toMatchObject({
      value: 90,
      source: 'environment',
      environmentVariable: 'RGW_SETTING_AUDIT_RETENTION_DAYS',
    });
    expect((await call(readerToken, 'GET', '/settings/sessions.cli_idle_timeout')).body).toMatchObject({
      value: '7d',
      source: 'environment',
      environmentVariable: 'SESSION_CLI_IDLE_DAYS',
    });
    const apps = await call(readerToken, 'GET', '/apps/myapp/settings');
    expect(apps.status).toBe(200);
    expect(apps.body.find((s: { key: string }) => s.key === 'vcs.repo')).toMatchObject({
      app: 'myapp',
      value: 'acme/myapp',
      source: 'environment',
      environmentVariable: 'RGW_APP_MYAPP_SETTING_VCS_REPO',
    });
    expect((await call(readerToken, 'GET', '/apps/other/settings/vcs.repo')).body).toMatchObject({
      value: '',
      source: 'default',
    });
  });

  it('stores a value over the environment, and DELETE falls back to it; both audited with before and after', async () => {
    const before = (await settingEvents()).length;
    const put = await call(adminToken, 'PUT', '/settings/audit.retention_days', { value: 365 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ value: 365, source: 'database', updatedBy: 'admin@example.com' });
    expect((await call(readerToken, 'GET', '/settings/audit.retention_days')).body.value).toBe(365);

    const removed = await call(adminToken, 'DELETE', '/settings/audit.retention_days');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ value: 90, source: 'environment' });

    const events = (await settingEvents()).slice(before);
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.decision, e.status, e.resource_name])).toEqual([
      ['allow', 200, 'audit.retention_days'],
      ['allow', 200, 'audit.retention_days'],
    ]);
    expect(events.map(changeOf)).toEqual([
      {
        before: { setting: 'audit.retention_days', value: 90, source: 'environment' },
        after: { setting: 'audit.retention_days', value: 365, source: 'database' },
      },
      {
        before: { setting: 'audit.retention_days', value: 365, source: 'database' },
        after: { setting: 'audit.retention_days', value: 90, source: 'environment' },
      },
    ]);
  });

  it('changes per-app settings under the app, recording the app in the audit event', async () => {
    const before = (await settingEvents()).length;
    const put = await call(adminToken, 'PUT', '/apps/myapp/settings/deploy.approved_commands', {
      value: ['bin/migrate', ' bin/migrate '],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ app: 'myapp', value: ['bin/migrate'], source: 'database' });
    expect(
      (await call(readerToken, 'GET', '/apps/web/settings/deploy.approved_commands')).body.value,
    ).toEqual([]);
    const [event] = (await settingEvents()).slice(before);
    expect(event.app).toBe('myapp');
    expect(changeOf(event)).toEqual({
      before: { setting: 'deploy.approved_commands', app: 'myapp', value: [], source: 'default' },
      after: {
        setting: 'deploy.approved_commands',
        app: 'myapp',
        value: ['bin/migrate'],
        source: 'database',
      },
    });
  });

  it('keeps a sensitive value write-only: redacted in answers and in the audit trail', async () => {
    const put = await call(adminToken, 'PUT', '/apps/myapp/settings/ci.api_token', { value: CANARY });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ value: '[REDACTED]', sensitive: true, source: 'database' });
    const list = await call(readerToken, 'GET', '/apps/myapp/settings');
    expect(JSON.stringify(list.body)).not.toContain(CANARY);
    expect(list.body.find((s: { key: string }) => s.key === 'ci.api_token').value).toBe('[REDACTED]');
    const removed = await call(adminToken, 'DELETE', '/apps/myapp/settings/ci.api_token');
    expect(removed.body).toMatchObject({ value: '', source: 'default' });
    const audit = await db.query<{ row: string }>('SELECT t::text AS row FROM audit_events t');
    expect(audit.rows.map((r) => r.row).join('\n')).not.toContain(CANARY);
    const [last] = (await settingEvents()).slice(-1);
    expect(changeOf(last)).toEqual({
      before: { setting: 'ci.api_token', app: 'myapp', value: '[REDACTED]', source: 'database' },
      after: { setting: 'ci.api_token', app: 'myapp', value: '', source: 'default' },
    });
  });

  it.each([
    [
      'a string for a boolean',
      '/settings/proxy.allow_destructive_actions',
      { value: 'yes' },
      'proxy.allow_destructive_actions must be true or false',
    ],
    [
      'a number out of range',
      '/settings/audit.retention_days',
      { value: 5 },
      'audit.retention_days must be a whole number from 30 to 3650 (got 5)',
    ],
    [
      'a duration out of range',
      '/settings/sessions.web_idle_timeout',
      { value: '30s' },
      'sessions.web_idle_timeout must be a duration',
    ],
    [
      'a value outside the enum',
      '/apps/myapp/settings/ci.provider',
      { value: 'jenkins' },
      'ci.provider must be one of "none", "circleci"',
    ],
    [
      'a bad regular expression',
      '/apps/myapp/settings/deploy.service_image_patterns',
      { value: { web: '(' } },
      'deploy.service_image_patterns must be an object',
    ],
  ])('refuses %s with 400 naming the key and the rule', async (_name, path, body, message) => {
    const res = await call(adminToken, 'PUT', path, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_setting_value');
    expect(res.body.message).toContain(message);
  });

  it('refuses an unknown key (404), the wrong scope, a bad app name and a malformed body (400)', async () => {
    const unknown = await call(adminToken, 'PUT', '/settings/no.such_setting', { value: true });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown_setting' } });
    expect((await call(readerToken, 'GET', '/apps/myapp/settings/no.such_setting')).status).toBe(404);
    const appKeyGlobally = await call(adminToken, 'PUT', '/settings/env.app_secret_keys', { value: [] });
    expect(appKeyGlobally.status).toBe(400);
    expect(appKeyGlobally.body).toMatchObject({ error: 'wrong_setting_scope' });
    expect(appKeyGlobally.body.message).toContain('/api/v1/apps/<app>/settings/env.app_secret_keys');
    const globalKeyPerApp = await call(
      adminToken,
      'DELETE',
      '/apps/myapp/settings/proxy.allow_destructive_actions',
    );
    expect(globalKeyPerApp).toMatchObject({ status: 400, body: { error: 'wrong_setting_scope' } });
    const badApp = await call(adminToken, 'PUT', '/apps/My_App/settings/vcs.repo', { value: 'a/b' });
    expect(badApp.status).toBe(400);
    expect(badApp.body.message).toContain('Convox app name');
    expect((await call(adminToken, 'PUT', '/settings/proxy.allow_destructive_actions', {})).status).toBe(400);
    const extra = await call(adminToken, 'PUT', '/settings/proxy.allow_destructive_actions', {
      value: true,
      other: 1,
    });
    expect(extra.status).toBe(400);
    expect((await call(readerToken, 'GET', '/settings/proxy.allow_destructive_actions')).body.value).toBe(
      false,
    );
  });

  it('gives 403 to principals without the permission, checked on the server', async () => {
    const viewer = await call(stack.tokens.viewer, 'GET', '/settings');
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toBe('permission denied: gateway:settings:read');
    const readerWrites = await call(readerToken, 'PUT', '/settings/proxy.allow_destructive_actions', {
      value: true,
    });
    expect(readerWrites.status).toBe(403);
    expect(readerWrites.body.message).toBe('permission denied: gateway:settings:update');
    const deployer = await call(stack.tokens.deployer, 'DELETE', '/apps/myapp/settings/env.app_secret_keys');
    expect(deployer.status).toBe(403);
    expect((await call(stack.tokens.viewer, 'GET', '/apps/myapp/settings')).status).toBe(403);
    expect((await call(readerToken, 'GET', '/settings/proxy.allow_destructive_actions')).body.value).toBe(
      false,
    );
    // Refusals are recorded once the response has ended, under the action the route declares (not one
    // made up from the URL's first segment, which for app settings would be `apps`).
    const denied = async () =>
      (
        await db.query<{ path: string; action: string }>(
          `SELECT path, action FROM audit_events WHERE decision = 'deny' AND status = 403`,
        )
      ).rows.map((r) => `${r.action} ${r.path}`);
    const expected = [
      'gateway:settings:read /api/v1/settings',
      'gateway:settings:update /api/v1/settings/proxy.allow_destructive_actions',
      'gateway:settings:update /api/v1/apps/myapp/settings/env.app_secret_keys',
      'gateway:settings:read /api/v1/apps/myapp/settings',
    ];
    for (let attempt = 0; attempt < 100; attempt++) {
      const rows = await denied();
      if (expected.every((row) => rows.includes(row))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await denied()).toEqual(expect.arrayContaining(expected));
  });
});
