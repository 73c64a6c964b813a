import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toBoolean } from './environment-formats';
import { Setting } from './setting.decorator';
import { IdentityEnvironment } from './identity-environment';

/**
 * Every environment variable the gateway reads, validated once at boot; an invalid value stops boot with a
 * message naming the variable. Assembled by inheritance from one class per concern (server, rack, identity)
 * plus the audit settings here; `loadConfig` shapes the values into AppConfig.
 */
export class EnvironmentVariables extends IdentityEnvironment {
  @Setting({
    group: 'Audit',
    description:
      'Key of the HMAC-SHA256 chain over audit events. At least 32 characters; required in production. Changing it breaks verification of older events.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUDIT_HMAC_SECRET?: string;

  @Setting({
    group: 'Audit',
    description:
      'Audit events older than this many days are deleted by the daily retention job (a chain checkpoint keeps verification working).',
    default: '400',
    runtimeSetting: 'audit.retention_days',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(3650)
  AUDIT_RETENTION_DAYS?: number;

  @Setting({
    group: 'Audit',
    description:
      'Identical successful read events from the same actor within this many seconds are folded into one event with a count. 0 turns folding off.',
    default: '60',
    runtimeSetting: 'audit.read_folding_window',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUDIT_AGGREGATION_WINDOW_SECONDS?: number;

  @Setting({
    group: 'Audit',
    description:
      'Extra comma-separated field/header/query names whose values are redacted in audit events and logs.',
  })
  @IsOptional()
  @IsString()
  AUDIT_REDACT_EXTRA_KEYS?: string;

  @Setting({
    group: 'Audit',
    description:
      'File to which chain anchors (latest chain value and count) are appended periodically. Empty disables anchoring.',
  })
  @IsOptional()
  @IsString()
  AUDIT_ANCHOR_FILE?: string;

  @Setting({
    group: 'Audit',
    description: 'Write audit events to stdout as JSON lines too.',
    default: 'true',
  })
  @IsOptional()
  @Transform(toBoolean)
  AUDIT_STDOUT?: boolean;

  @Setting({
    group: 'MFA',
    description:
      'AES-256-GCM key (64 hex characters: `openssl rand -hex 32`) that encrypts TOTP secrets at rest and keys the backup-code hashes. Required in production; outside production it is derived from SESSION_SECRET when unset. See docs/AUTHENTICATION.md for rotation.',
    sensitive: true,
  })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (openssl rand -hex 32)' })
  MFA_ENCRYPTION_KEY?: string;

  @Setting({
    group: 'MFA',
    description:
      'The MFA key in use before the last rotation (64 hex characters). Secrets it encrypted are still read and re-encrypted with MFA_ENCRYPTION_KEY; backup codes hashed with it still work. Remove it once every TOTP user has verified (secrets are re-sealed on use) and backup codes were regenerated.',
    sensitive: true,
  })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (openssl rand -hex 32)' })
  MFA_ENCRYPTION_KEY_PREVIOUS?: string;
}
