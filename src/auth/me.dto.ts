import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Capabilities, NavigationEntry } from './capabilities';

class UserCapabilitiesDto {
  @ApiProperty() read!: boolean;
  @ApiProperty() create!: boolean;
  @ApiProperty() update!: boolean;
  @ApiProperty() delete!: boolean;
  @ApiProperty() lock!: boolean;
}

class TokenCapabilitiesDto {
  @ApiProperty({ description: 'Create tokens for yourself (always, bounded by your permissions)' })
  createOwn!: boolean;
  @ApiProperty() createForOthers!: boolean;
  @ApiProperty() readAll!: boolean;
  @ApiProperty() revokeAny!: boolean;
}

class SessionCapabilitiesDto {
  @ApiProperty() readAll!: boolean;
  @ApiProperty() revokeAny!: boolean;
}

class AuditCapabilitiesDto {
  @ApiProperty() read!: boolean;
}

class SettingsCapabilitiesDto {
  @ApiProperty() read!: boolean;
  @ApiProperty() update!: boolean;
}

class RackCapabilitiesDto {
  @ApiProperty() read!: boolean;
  @ApiProperty() listApps!: boolean;
  @ApiProperty() readApps!: boolean;
  @ApiProperty() listProcesses!: boolean;
  @ApiProperty() listBuilds!: boolean;
  @ApiProperty() listReleases!: boolean;
  @ApiProperty({ description: 'See non-secret environment values' }) readEnv!: boolean;
  @ApiProperty({ description: 'See secret environment values unmasked' }) readSecrets!: boolean;
  @ApiProperty({ description: 'Change the count, CPU or memory of a service' }) scale!: boolean;
  @ApiProperty({ description: 'Set or remove environment variables (creates a release)' }) setEnv!: boolean;
  @ApiProperty({ description: 'Promote a release' }) promote!: boolean;
}

export class CapabilitiesDto implements Capabilities {
  @ApiProperty({ type: UserCapabilitiesDto }) users!: UserCapabilitiesDto;
  @ApiProperty({ type: TokenCapabilitiesDto }) tokens!: TokenCapabilitiesDto;
  @ApiProperty({ type: SessionCapabilitiesDto }) sessions!: SessionCapabilitiesDto;
  @ApiProperty({ type: AuditCapabilitiesDto }) audit!: AuditCapabilitiesDto;
  @ApiProperty({ type: SettingsCapabilitiesDto }) settings!: SettingsCapabilitiesDto;
  @ApiProperty({ type: RackCapabilitiesDto }) rack!: RackCapabilitiesDto;
}

export class NavigationEntryDto implements NavigationEntry {
  @ApiProperty({ description: 'Stable id the UI maps to a page', example: 'users' }) id!: string;
  @ApiProperty({ example: 'Users' }) label!: string;
  @ApiProperty({ description: 'Path under /app/', example: '/users' }) path!: string;
}

/** Who the caller is, what they hold, and what the UI may offer them (the server still enforces all). */
export class MeDto {
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String], description: 'Concrete permissions held, sorted' })
  permissions!: string[];
  @ApiProperty({ enum: ['user', 'token'] }) kind!: string;
  @ApiProperty({ enum: ['web', 'cli', 'api-token'] }) channel!: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiPropertyOptional() tokenId?: string;
  @ApiPropertyOptional() tokenName?: string;
  @ApiPropertyOptional({ format: 'date-time' }) sessionExpiresAt?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Second factors: enrolled methods, verified in this session, step-up expiry (people only)',
  })
  mfa?: unknown;
  @ApiProperty({ type: CapabilitiesDto }) capabilities!: CapabilitiesDto;
  @ApiProperty({
    type: [NavigationEntryDto],
    description: 'The pages this caller may open, in order; features add entries here, not in the UI',
  })
  navigation!: NavigationEntryDto[];
}
