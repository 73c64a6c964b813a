import { APP_SETTINGS } from './definitions/app-settings';
import { GLOBAL_SETTINGS } from './definitions/global-settings';
import { INTEGRATION_SETTINGS } from './definitions/integration-settings';
import { NOTIFICATION_SETTINGS } from './definitions/notification-settings';
import type { SettingDefinition, SettingScope } from './setting-definition';
import type { RuntimeOfKind } from './setting-types';

/**
 * Every runtime setting the gateway knows, global and per app. docs/SETTINGS.md is generated from it,
 * the API accepts exactly these keys, and reads are typed by them.
 */
export const SETTINGS = [
  ...GLOBAL_SETTINGS,
  ...NOTIFICATION_SETTINGS,
  ...APP_SETTINGS,
  ...INTEGRATION_SETTINGS,
] as const;

type AnySetting = (typeof SETTINGS)[number];
export type SettingKey = AnySetting['key'];
export type GlobalSettingKey = Extract<AnySetting, { scope: 'global' }>['key'];
export type AppSettingKey = Extract<AnySetting, { scope: 'app' }>['key'];
/** What a read returns for `K` (a duration in seconds, a list as an array …). */
export type SettingValue<K extends SettingKey> =
  Extract<AnySetting, { key: K }> extends SettingDefinition<string, SettingScope, infer T>
    ? RuntimeOfKind[T]
    : never;

const BY_KEY = new Map<string, SettingDefinition>(SETTINGS.map((s) => [s.key, s as SettingDefinition]));

export function settingDefinition(key: string): SettingDefinition | undefined {
  return BY_KEY.get(key);
}

export function settingsOfScope(scope: SettingScope): SettingDefinition[] {
  return SETTINGS.filter((s) => s.scope === scope) as SettingDefinition[];
}

/** Convox app names: lower-case letters, digits and dashes, starting with a letter. */
export const APP_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Variable-name form of a key or app name: dots and dashes become `_`, letters upper case. */
export const envNamePart = (text: string): string => text.replace(/[.-]/g, '_').toUpperCase();

/**
 * The environment variable that overrides `key` (for `app` when the setting is per app):
 * `RGW_SETTING_<KEY>` or `RGW_APP_<APP>_SETTING_<KEY>`. App names hold no `_`, so `my-app` → `MY_APP`
 * cannot collide with another app; a unit test checks no two keys share a variable name.
 */
export function settingVariable(key: string, app?: string): string {
  return app === undefined
    ? `RGW_SETTING_${envNamePart(key)}`
    : `RGW_APP_${envNamePart(app)}_SETTING_${envNamePart(key)}`;
}
