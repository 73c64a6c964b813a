/**
 * Describes one environment variable. The registry it fills is the single source for
 * docs/CONFIGURATION.md and for masking secret values when the effective configuration is printed.
 */
export interface SettingDescription {
  description: string;
  /** Shown in the docs; `undefined` means "no default". */
  default?: string;
  /** Secret values are never printed or logged. */
  sensitive?: boolean;
  /** Which part of the product reads it, used to group the docs. */
  group: SettingGroup;
  /** Set only in development (npm start with nothing configured) or by the dev stack. */
  devDefault?: string;
  /**
   * The variable feeds the environment layer of this runtime setting (docs/SETTINGS.md): admins can
   * override it through the API without a restart, and it keeps working when nobody does.
   */
  runtimeSetting?: string;
}

export type SettingGroup =
  | 'Server'
  | 'Database'
  | 'Rack'
  | 'Google login'
  | 'Sessions'
  | 'Users'
  | 'Audit'
  | 'MFA'
  | 'Env protection'
  | 'Development stack';

export interface RegisteredSetting extends SettingDescription {
  name: string;
}

const registry = new Map<string, RegisteredSetting>();

export function Setting(description: SettingDescription): PropertyDecorator {
  return (_target, propertyKey) => {
    const name = String(propertyKey);
    registry.set(name, { name, ...description });
  };
}

export function registeredSettings(): RegisteredSetting[] {
  return [...registry.values()];
}
