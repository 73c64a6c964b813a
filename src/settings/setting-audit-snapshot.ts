import { Injectable } from '@nestjs/common';
import { AuditSnapshot, AuditSnapshotTarget, AuditState } from '../access-control/audit-snapshot';
import { shownValue } from './setting-view';
import { APP_NAME, settingDefinition } from './settings-registry';
import { SettingsService } from './settings.service';

/**
 * The setting a `PUT`/`DELETE …/settings/:key` route changes: its key (as `setting`: the audit trail
 * redacts fields named `key`), app, effective value (redacted when
 * sensitive, as the settings API shows it) and which layer gave it. A setting always has a value, so both
 * sides exist; a key the route will refuse (unknown, wrong scope, bad app name) has no state at all.
 */
@Injectable()
export class SettingAuditSnapshot extends AuditSnapshot {
  constructor(private readonly settings: SettingsService) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const { key, app } = target.params;
    const definition = key === undefined ? undefined : settingDefinition(key);
    if (!definition || (definition.scope === 'app') !== (app !== undefined)) return null;
    if (app !== undefined && !APP_NAME.test(app)) return null;
    const resolved = await this.settings.read(definition.key, app);
    return {
      setting: definition.key,
      ...(app !== undefined ? { app } : {}),
      value: shownValue(resolved),
      source: resolved.source,
    };
  }
}
