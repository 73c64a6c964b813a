import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SettingKind } from './setting-types';
import { settingVariable } from './settings-registry';
import type { ResolvedSetting, SettingSource } from './settings.service';

/** Stands in for a sensitive value in reads and in the audit trail. */
export const REDACTED_SETTING = '[REDACTED]';

/** One setting as the API shows it. */
export class SettingView {
  @ApiProperty({ example: 'sessions.web_idle_timeout' })
  key!: string;

  @ApiProperty({ enum: ['global', 'app'] })
  scope!: 'global' | 'app';

  @ApiPropertyOptional({ description: 'The app, for per-app settings' })
  app?: string;

  @ApiProperty({
    enum: ['boolean', 'integer', 'duration', 'enum', 'string', 'string_list', 'pattern_list', 'pattern_map'],
  })
  type!: SettingKind;

  @ApiProperty({ description: 'What a valid value is', example: 'a duration (…) from 1m to 7d' })
  rule!: string;

  @ApiProperty({ description: `The effective value; "${REDACTED_SETTING}" when sensitive and set` })
  value!: unknown;

  @ApiProperty({ enum: ['database', 'environment', 'default'], description: 'Which layer gave the value' })
  source!: SettingSource;

  @ApiProperty({
    description:
      'The environment variable that overrides the default (and gave the value when source is environment)',
  })
  environmentVariable!: string;

  @ApiProperty()
  default!: unknown;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Sensitive values are write-only' })
  sensitive!: boolean;

  @ApiPropertyOptional({ description: 'When the stored value was written (source database)' })
  updatedAt?: string;

  @ApiPropertyOptional({ description: 'Who wrote the stored value (source database)' })
  updatedBy?: string | null;
}

/** A sensitive value is shown only as "set or not". */
export function shownValue(resolved: ResolvedSetting, value: unknown = resolved.value): unknown {
  return resolved.definition.sensitive && value !== '' ? REDACTED_SETTING : value;
}

export function toSettingView(resolved: ResolvedSetting): SettingView {
  const { definition } = resolved;
  return {
    key: definition.key,
    scope: definition.scope,
    ...(resolved.app !== undefined ? { app: resolved.app } : {}),
    type: definition.type.kind,
    rule: definition.type.rule,
    value: shownValue(resolved),
    source: resolved.source,
    environmentVariable: resolved.environmentVariable ?? settingVariable(definition.key, resolved.app),
    default: shownValue(resolved, definition.default),
    description: definition.description,
    sensitive: definition.sensitive === true,
    ...(resolved.updatedAt
      ? { updatedAt: resolved.updatedAt.toISOString(), updatedBy: resolved.updatedBy }
      : {}),
  };
}
