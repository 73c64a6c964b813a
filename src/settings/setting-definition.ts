import type { Json, SettingKind, SettingType } from './setting-types';

export type SettingScope = 'global' | 'app';

/** The area of the product a setting belongs to; docs/SETTINGS.md is grouped by it. */
export type SettingGroup =
  | 'MFA'
  | 'Sessions'
  | 'Deploy approvals'
  | 'Rack proxy'
  | 'Audit'
  | 'Env protection'
  | 'CI and VCS'
  | 'Notifications';

/**
 * An environment variable that predates the registry and now feeds the environment layer of a setting
 * (it keeps working). Its value was already validated by src/config; `unit` turns a plain number into
 * a duration.
 */
export interface LegacyVariable {
  readonly name: string;
  readonly unit?: 's' | 'm' | 'h' | 'd';
}

export interface SettingDefinition<
  K extends string = string,
  S extends SettingScope = SettingScope,
  T extends SettingKind = SettingKind,
> {
  /** `<area>.<name>`: lower case, digits and `_`, one dot. */
  readonly key: K;
  readonly scope: S;
  readonly group: SettingGroup;
  readonly type: SettingType<T>;
  /** In the JSON form the API uses (a duration is `"15m"`). */
  readonly default: Json;
  readonly description: string;
  /** What reads it, so nobody mistakes a declared-only setting for an enforced one. */
  readonly readBy: string;
  /** Never shown by the API or written to the audit trail; admins can set it, not read it back. */
  readonly sensitive?: boolean;
  readonly legacyVariable?: LegacyVariable;
}

export const SETTING_KEY = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** Declares one setting; the `const` type parameters keep key and kind literal for typed reads. */
export function defineSetting<
  const K extends string,
  const S extends SettingScope,
  const T extends SettingKind,
>(definition: SettingDefinition<K, S, T>): SettingDefinition<K, S, T> {
  if (!SETTING_KEY.test(definition.key))
    throw new Error(`setting key ${definition.key} is not <area>.<name>`);
  if (definition.type.normalize(definition.default) === undefined)
    throw new Error(`default of ${definition.key} breaks its own rule: ${definition.type.rule}`);
  return definition;
}
