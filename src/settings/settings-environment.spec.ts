import { registeredSettings } from '../config/setting.decorator';
import '../config/environment-variables';
import type { SettingDefinition } from './setting-definition';
import { SETTINGS, settingDefinition, settingVariable } from './settings-registry';
import { SettingsEnvironment } from './settings-environment';

describe('settings environment layer', () => {
  it('names variables RGW_SETTING_<KEY> and RGW_APP_<APP>_SETTING_<KEY>, dots and dashes as _', () => {
    expect(settingVariable('proxy.allow_destructive_actions')).toBe(
      'RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS',
    );
    expect(settingVariable('env.app_secret_keys', 'my-app')).toBe(
      'RGW_APP_MY_APP_SETTING_ENV_APP_SECRET_KEYS',
    );
  });

  it('gives every setting its own variable name', () => {
    const names = SETTINGS.map((s) => settingVariable(s.key, s.scope === 'app' ? 'x' : undefined));
    expect(new Set(names).size).toBe(names.length);
  });

  it('links each older variable and its setting both ways', () => {
    const fromConfig = registeredSettings()
      .filter((v) => v.runtimeSetting)
      .map((v) => [v.name, v.runtimeSetting])
      .sort();
    const fromRegistry = (SETTINGS as readonly SettingDefinition[])
      .flatMap((s) => (s.legacyVariable ? [[s.legacyVariable.name, s.key]] : []))
      .sort();
    expect(fromRegistry).toEqual(fromConfig);
    for (const [, key] of fromConfig) expect(settingDefinition(key as string)?.scope).toBe('global');
  });

  it('reads global, per-app and older variables into canonical values, the RGW_ one first', () => {
    const layer = new SettingsEnvironment({
      RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true',
      RGW_SETTING_SESSIONS_WEB_IDLE_TIMEOUT: '90m',
      SESSION_WEB_IDLE_MINUTES: '15',
      SESSION_CLI_IDLE_DAYS: '7',
      CONVOX_SECRET_ENV_VARS: 'stripe_*, SENTRY_DSN',
      RGW_APP_MY_APP_SETTING_ENV_APP_PROTECTED_KEYS: 'PORT',
    });
    expect(layer.problems).toEqual([]);
    expect(layer.global('proxy.allow_destructive_actions')).toEqual({
      variable: 'RGW_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS',
      value: true,
    });
    expect(layer.global('sessions.web_idle_timeout')?.value).toBe('1h30m');
    expect(layer.global('sessions.cli_idle_timeout')).toEqual({
      variable: 'SESSION_CLI_IDLE_DAYS',
      value: '7d',
    });
    expect(layer.global('env.secret_keys')?.value).toEqual(['STRIPE_*', 'SENTRY_DSN']);
    expect(layer.forApp('my-app', 'env.app_protected_keys')?.value).toEqual(['PORT']);
    expect(layer.forApp('other', 'env.app_protected_keys')).toBeUndefined();
    expect(layer.global('audit.retention_days')).toBeUndefined();
  });

  it('lists every unknown variable and every value that breaks its rule, naming the rule', () => {
    const layer = new SettingsEnvironment({
      RGW_SETTING_NO_SUCH_THING: '1',
      RGW_SETTING_AUDIT_RETENTION_DAYS: '5',
      RGW_APP_WEB_SETTING_CI_PROVIDER: 'jenkins',
      RGW_APP_WEB_SETTING_CI_API_TOKEN: 'short',
      RGW_APP_WEB_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: 'true',
    });
    expect(layer.problems).toEqual(
      expect.arrayContaining([
        'RGW_SETTING_NO_SUCH_THING: no setting has this variable (see docs/SETTINGS.md)',
        'RGW_SETTING_AUDIT_RETENTION_DAYS: audit.retention_days must be a whole number from 30 to 3650 (got "5")',
        expect.stringMatching(/^RGW_APP_WEB_SETTING_CI_PROVIDER: ci.provider must be one of/),
        expect.stringMatching(/^RGW_APP_WEB_SETTING_CI_API_TOKEN: ci.api_token must be .*\)$/),
        'RGW_APP_WEB_SETTING_PROXY_ALLOW_DESTRUCTIVE_ACTIONS: no setting has this variable (see docs/SETTINGS.md)',
      ]),
    );
    expect(layer.problems.join('\n')).not.toContain('"short"');
    expect(layer.problems).toHaveLength(5);
  });
});
