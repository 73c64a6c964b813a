import { ApiProperty } from '@nestjs/swagger';
import type { SessionView } from './session-view';

/** The OpenAPI shape of a session; the session secret is never part of it. */
export class SessionViewDto implements SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['web', 'cli'] }) channel!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'The earlier of idle and absolute expiry' })
  expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) absoluteExpiresAt!: string;
  @ApiProperty({ type: String, nullable: true }) ipAddress!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) deviceName!: string | null;
  @ApiProperty({ description: 'The session making this request' }) current!: boolean;
}

export class RevokedCountDto {
  @ApiProperty({ description: 'How many sessions ended' }) revoked!: number;
}
