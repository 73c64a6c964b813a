import type { SettingDefinition } from './setting-definition';
import type { Json } from './setting-types';
import { envNamePart, settingsOfScope, settingVariable } from './settings-registry';

/** A value from the environment layer and the variable that gave it. */
export interface EnvironmentValue {
  variable: string;
  value: Json;
}

const APP_VARIABLE_PREFIX = 'RGW_APP_';
const APP_PART = /^[A-Z][A-Z0-9_]*$/;

/**
 * The environment layer of every setting, validated once at boot: `RGW_SETTING_<KEY>`,
 * `RGW_APP_<APP>_SETTING_<KEY>`, and the older variables that feed a setting (the `RGW_` one wins when
 * both are set). An unknown `RGW_` variable or a value breaking its setting's rule is a problem that stops
 * boot, like any other bad variable.
 */
export class SettingsEnvironment {
  private readonly values = new Map<string, EnvironmentValue>();
  readonly problems: string[] = [];

  constructor(raw: Record<string, string>) {
    const known = new Set<string>();
    for (const definition of settingsOfScope('global')) {
      const variable = settingVariable(definition.key);
      known.add(variable);
      const legacy = definition.legacyVariable;
      if (raw[variable] !== undefined) this.accept(definition, variable, variable, raw[variable]);
      else if (legacy && raw[legacy.name] !== undefined)
        this.accept(definition, variable, legacy.name, `${raw[legacy.name]}${legacy.unit ?? ''}`);
    }
    for (const [name, text] of Object.entries(raw)) {
      if (known.has(name) || !name.startsWith('RGW_')) continue;
      const definition = name.startsWith(APP_VARIABLE_PREFIX) ? appSettingOf(name) : undefined;
      if (definition) this.accept(definition, name, name, text);
      else this.problems.push(`${name}: no setting has this variable (see docs/SETTINGS.md)`);
    }
  }

  /** The value for a global setting, if the environment sets one. */
  global(key: string): EnvironmentValue | undefined {
    return this.values.get(settingVariable(key));
  }

  forApp(app: string, key: string): EnvironmentValue | undefined {
    return this.values.get(settingVariable(key, app));
  }

  private accept(definition: SettingDefinition, slot: string, variable: string, text: string): void {
    const value = definition.type.normalize(definition.type.fromText(text));
    if (value === undefined) {
      const got = definition.sensitive ? '' : ` (got ${JSON.stringify(text)})`;
      this.problems.push(`${variable}: ${definition.key} must be ${definition.type.rule}${got}`);
      return;
    }
    this.values.set(slot, { variable, value });
  }
}

/** The app setting a `RGW_APP_<APP>_SETTING_<KEY>` variable names, if any (setting keys never contain SETTING). */
function appSettingOf(name: string): SettingDefinition | undefined {
  return settingsOfScope('app').find((definition) => {
    const suffix = `_SETTING_${envNamePart(definition.key)}`;
    if (!name.endsWith(suffix)) return false;
    return APP_PART.test(name.slice(APP_VARIABLE_PREFIX.length, name.length - suffix.length));
  });
}
