import { ApiProperty } from '@nestjs/swagger';
import type { ApiTokenView } from '../api-token-view';

/** The OpenAPI shape of an API token's metadata; the secret itself is never part of it. */
export class ApiTokenViewDto implements ApiTokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: "The owner's email" }) owner!: string;
  @ApiProperty({ type: [String] }) permissions!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastUsedIp!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
}

/** The answer to a create: the metadata plus the secret, which is shown this once and never again. */
export class CreatedApiTokenDto extends ApiTokenViewDto {
  @ApiProperty({ description: 'The secret; only its hash is stored' }) token!: string;
}

export class RevokedDto {
  @ApiProperty() revoked!: boolean;
}
