import { Global, Module } from '@nestjs/common';
import { AppSettingsController } from './app-settings.controller';
import { SettingAuditSnapshot } from './setting-audit-snapshot';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';
import { SettingsStore } from './settings-store';

/**
 * Runtime settings (docs/SETTINGS.md). Global: sessions, audit and the proxy read SettingsService, which
 * depends only on config and the database, so every module may use it.
 */
@Global()
@Module({
  controllers: [SettingsController, AppSettingsController],
  providers: [SettingsStore, SettingsService, SettingAuditSnapshot],
  exports: [SettingsService],
})
export class SettingsModule {}
