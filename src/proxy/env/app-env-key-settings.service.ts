import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { envKeyClassifier, type EnvKeyClassifier, type EnvKeyLists } from './env-key-classifier';

const SECRET_SETTING = 'secret_env_vars';
const PROTECTED_SETTING = 'protected_env_vars';

/**
 * The env key classification for one app: the global lists from configuration plus the app's own lists
 * from `gateway_settings` (scope `app:<name>`, JSONB arrays of key names). Read on every use so an admin's
 * change applies to the very next request.
 */
@Injectable()
export class AppEnvKeySettings {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async classifierFor(app: string): Promise<EnvKeyClassifier> {
    return envKeyClassifier(this.config.env, await this.appLists(app));
  }

  private async appLists(app: string): Promise<EnvKeyLists> {
    const rows = (await this.db.query(
      'SELECT key, value FROM gateway_settings WHERE scope = $1 AND key = ANY($2)',
      [`app:${app}`, [SECRET_SETTING, PROTECTED_SETTING]],
    )) as { key: string; value: unknown }[];
    const list = (key: string) => stringArray(rows.find((row) => row.key === key)?.value);
    return { secretKeys: list(SECRET_SETTING), protectedKeys: list(PROTECTED_SETTING) };
  }
}

/** A malformed setting is ignored entry by entry rather than failing every env request of the app. */
function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
