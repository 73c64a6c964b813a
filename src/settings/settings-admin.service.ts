import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../auth/principal';
import { auditSide, toSettingView, type SettingView } from './setting-view';
import { type SettingChange, SettingsService } from './settings.service';

/**
 * The admin API's changes. The route's audit event (recorded before the handler runs) gets the old and
 * new value with their sources; sensitive values appear only as redacted.
 */
@Injectable()
export class SettingsAdminService {
  constructor(
    private readonly settings: SettingsService,
    private readonly audit: AuditRecorder,
  ) {}

  async set(principal: Principal, key: string, value: unknown, app?: string): Promise<SettingView> {
    return this.recorded(await this.settings.set(key, value, principal.email, app));
  }

  async remove(principal: Principal, key: string, app?: string): Promise<SettingView> {
    return this.recorded(await this.settings.remove(key, principal.email, app));
  }

  private recorded(change: SettingChange): SettingView {
    this.audit.annotate({
      setting: change.after.definition.key,
      ...(change.after.app !== undefined ? { app: change.after.app } : {}),
      before: auditSide(change.before),
      after: auditSide(change.after),
    });
    return toSettingView(change.after);
  }
}
