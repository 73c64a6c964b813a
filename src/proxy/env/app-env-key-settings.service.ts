import { Injectable } from '@nestjs/common';
import { SettingsService } from '../../settings/settings.service';
import { envKeyClassifier, type EnvKeyClassifier } from './env-key-classifier';

/**
 * The env key classification for one app: the global `env.secret_keys` / `env.protected_keys` settings
 * plus the app's `env.app_secret_keys` / `env.app_protected_keys`. Read on every use (from the settings
 * cache), so an admin's change applies to the very next request in every gateway process.
 */
@Injectable()
export class AppEnvKeySettings {
  constructor(private readonly settings: SettingsService) {}

  async classifierFor(app: string): Promise<EnvKeyClassifier> {
    const [secretKeys, protectedKeys, appSecretKeys, appProtectedKeys] = await Promise.all([
      this.settings.get('env.secret_keys'),
      this.settings.get('env.protected_keys'),
      this.settings.getForApp(app, 'env.app_secret_keys'),
      this.settings.getForApp(app, 'env.app_protected_keys'),
    ]);
    return envKeyClassifier(
      { secretKeys, protectedKeys },
      { secretKeys: appSecretKeys, protectedKeys: appProtectedKeys },
    );
  }
}
