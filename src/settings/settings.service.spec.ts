import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { SettingsService } from './settings.service';
import type { SettingsStore, StoredScope } from './settings-store';

/** The resolution order over a store that holds `rows` per scope (no database: the order is pure logic). */
function serviceWith(
  rows: Record<string, Record<string, unknown>>,
  environment: Record<string, string> = {},
) {
  const store = {
    scope: async (scope: string): Promise<StoredScope> =>
      new Map(
        Object.entries(rows[scope] ?? {}).map(([key, value]) => [
          key,
          { key, value: value as never, updatedAt: new Date(0), updatedBy: 'admin@example.com' },
        ]),
      ),
  } as unknown as SettingsStore;
  return new SettingsService(store, { settingsEnvironment: environment } as AppConfig);
}

describe('setting resolution', () => {
  it('takes the default when nothing else is set', async () => {
    const resolved = await serviceWith({}).read('proxy.allow_destructive_actions');
    expect(resolved).toMatchObject({ value: false, source: 'default' });
  });

  it('takes the environment over the default and names the variable', async () => {
    const service = serviceWith({}, { RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true' });
    expect(await service.read('proxy.allow_destructive_actions')).toMatchObject({
      value: true,
      source: 'environment',
      environmentVariable: 'RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS',
    });
  });

  it('takes the database over the environment', async () => {
    const service = serviceWith(
      { global: { 'proxy.allow_destructive_actions': false } },
      { RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true' },
    );
    expect(await service.read('proxy.allow_destructive_actions')).toMatchObject({
      value: false,
      source: 'database',
    });
    expect(await service.get('proxy.allow_destructive_actions')).toBe(false);
  });

  it('ignores a stored value that breaks the rule (only SQL by hand can store one)', async () => {
    const service = serviceWith(
      { global: { 'audit.retention_days': 'forever' } },
      { AUDIT_RETENTION_DAYS: '90' },
    );
    expect(await service.read('audit.retention_days')).toMatchObject({ value: 90, source: 'environment' });
  });

  it('keeps apps apart and gives typed runtime values (durations in seconds)', async () => {
    const service = serviceWith(
      { 'app:web': { 'env.app_secret_keys': ['STRIPE_*'] }, global: { 'sessions.web_idle_timeout': '5m' } },
      { RGW_APP_API_SETTING_ENV_APP_SECRET_KEYS: 'API_*' },
    );
    expect(await service.getForApp('web', 'env.app_secret_keys')).toEqual(['STRIPE_*']);
    expect(await service.getForApp('api', 'env.app_secret_keys')).toEqual(['API_*']);
    expect(await service.getForApp('other', 'env.app_secret_keys')).toEqual([]);
    expect(await service.get('sessions.web_idle_timeout')).toBe(300);
  });

  it('answers 404 for an unknown key and 400 for a key of the other scope', async () => {
    const service = serviceWith({});
    await expect(service.read('no.such')).rejects.toMatchObject({ status: 404 });
    await expect(service.read('env.app_secret_keys')).rejects.toMatchObject({
      status: 400,
      response: { error: 'wrong_setting_scope' },
    });
    await expect(service.read('proxy.allow_destructive_actions', 'web')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('refuses to start with a bad environment layer, listing the problems', () => {
    const service = serviceWith({}, { RGW_SETTING_AUDIT_RETENTION_DAYS: 'lots' });
    expect(() => service.onModuleInit()).toThrow(ConfigError);
    expect(() => service.onModuleInit()).toThrow(
      /RGW_SETTING_AUDIT_RETENTION_DAYS: audit.retention_days must be/,
    );
  });
});
