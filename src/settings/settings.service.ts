import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import type { SettingDefinition } from './setting-definition';
import { invalidValue, unknownSetting, wrongScope } from './setting-errors';
import type { Json } from './setting-types';
import {
  type AppSettingKey,
  type GlobalSettingKey,
  type SettingValue,
  settingDefinition,
  settingsOfScope,
} from './settings-registry';
import { SettingsEnvironment } from './settings-environment';
import { scopeOf, SettingsStore, type StoredScope, type StoredSetting } from './settings-store';

export type SettingSource = 'database' | 'environment' | 'default';

/** A setting's effective value and which layer gave it. */
export interface ResolvedSetting {
  definition: SettingDefinition;
  app?: string;
  value: Json;
  source: SettingSource;
  /** The variable that gave the value, when the environment did. */
  environmentVariable?: string;
  updatedAt?: Date;
  updatedBy?: string | null;
}

export interface SettingChange {
  before: ResolvedSetting;
  after: ResolvedSetting;
}

/**
 * Reads and changes runtime settings. Each read resolves database → environment → default; the
 * database layer comes from SettingsStore's cache, so a read costs no query unless something changed.
 */
@Injectable()
export class SettingsService implements OnModuleInit {
  private readonly logger = new Logger('Settings');
  private readonly environment: SettingsEnvironment;

  constructor(
    private readonly store: SettingsStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.environment = new SettingsEnvironment(config.settingsEnvironment);
  }

  // Thrown here rather than in the constructor: Nest aborts the process on a constructor error, while an
  // init error reaches main(), which prints it like any other configuration problem.
  onModuleInit(): void {
    if (this.environment.problems.length > 0) throw new ConfigError(this.environment.problems);
  }

  async get<K extends GlobalSettingKey>(key: K): Promise<SettingValue<K>> {
    const resolved = await this.read(key);
    return resolved.definition.type.toRuntime(resolved.value) as SettingValue<K>;
  }

  async getForApp<K extends AppSettingKey>(app: string, key: K): Promise<SettingValue<K>> {
    const resolved = await this.read(key, app);
    return resolved.definition.type.toRuntime(resolved.value) as SettingValue<K>;
  }

  /** Every setting of the scope (global, or `app`'s), resolved. */
  async list(app?: string): Promise<ResolvedSetting[]> {
    const rows = await this.store.scope(scopeOf(app));
    return settingsOfScope(app === undefined ? 'global' : 'app').map((d) => this.resolve(d, rows, app));
  }

  async read(key: string, app?: string): Promise<ResolvedSetting> {
    const definition = this.definitionFor(key, app);
    return this.resolve(definition, await this.store.scope(scopeOf(app)), app);
  }

  /** Validates and stores `input`; 400 names the key and the rule it breaks. */
  async set(key: string, input: unknown, actor: string | null, app?: string): Promise<SettingChange> {
    const definition = this.definitionFor(key, app);
    const value = definition.type.normalize(input);
    if (value === undefined) throw invalidValue(definition, input);
    return this.change(definition, value, actor, app);
  }

  /** Removes the stored value: the setting falls back to the environment or its default. */
  remove(key: string, actor: string | null, app?: string): Promise<SettingChange> {
    return this.change(this.definitionFor(key, app), null, actor, app);
  }

  private async change(
    definition: SettingDefinition,
    value: Json | null,
    actor: string | null,
    app?: string,
  ): Promise<SettingChange> {
    const { before, after } = await this.store.change(scopeOf(app), definition.key, value, actor);
    const rows = (row?: StoredSetting): StoredScope => new Map(row ? [[definition.key, row]] : []);
    return {
      before: this.resolve(definition, rows(before), app),
      after: this.resolve(definition, rows(after), app),
    };
  }

  private definitionFor(key: string, app?: string): SettingDefinition {
    const definition = settingDefinition(key);
    if (!definition) throw unknownSetting(key);
    if ((definition.scope === 'app') !== (app !== undefined)) throw wrongScope(definition);
    return definition;
  }

  private resolve(definition: SettingDefinition, rows: StoredScope, app?: string): ResolvedSetting {
    const row = rows.get(definition.key);
    const stored = row === undefined ? undefined : definition.type.normalize(row.value);
    if (row && stored !== undefined) {
      return {
        definition,
        app,
        value: stored,
        source: 'database',
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      };
    }
    // Only a hand-edited row can be invalid (the API validates); it must not take effect, nor go unnoticed.
    if (row) this.logger.error(`stored value of ${definition.key} (${scopeOf(app)}) is invalid; ignoring it`);
    const fromEnvironment =
      app === undefined
        ? this.environment.global(definition.key)
        : this.environment.forApp(app, definition.key);
    if (fromEnvironment) {
      return {
        definition,
        app,
        value: fromEnvironment.value,
        source: 'environment',
        environmentVariable: fromEnvironment.variable,
      };
    }
    return { definition, app, value: definition.default, source: 'default' };
  }
}
