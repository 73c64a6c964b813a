import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const MAX_METADATA_BYTES = 8192;
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/**
 * CI metadata is free-form, but small, and `pipeline_number` (which CircleCI gives as a number and
 * people quote as a string) must be one of the two.
 */
@ValidatorConstraint({ name: 'ciMetadata' })
class CiMetadataRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    if (JSON.stringify(value).length > MAX_METADATA_BYTES) return false;
    const pipeline = (value as Record<string, unknown>).pipeline_number;
    return pipeline === undefined || typeof pipeline === 'string' || typeof pipeline === 'number';
  }

  defaultMessage(): string {
    return `ciMetadata must be a JSON object of at most ${MAX_METADATA_BYTES} bytes whose pipeline_number, if present, is a number or a string`;
  }
}

export class CreateApprovalRequestDto {
  @ApiProperty({ example: 'myapp', description: 'The Convox app to deploy' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, {
    message: 'app must be a Convox app name (lower-case letters, digits and -, starting with a letter)',
  })
  app!: string;

  @ApiProperty({
    example: '3f786850e387550fdab836ed7e6dc881de23001b',
    description: 'The full 40-character commit',
  })
  @Transform(trimmed)
  @IsString()
  @Matches(/^[0-9a-f]{40}$/, { message: 'gitCommit must be the full 40-character lower-case hex commit' })
  gitCommit!: string;

  @ApiPropertyOptional({ example: 'main' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  gitBranch?: string;

  @ApiProperty({ example: 'Deploy the new billing page', description: 'What is being deployed and why' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'message must not be empty' })
  @MaxLength(2000)
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Free-form CI facts (workflow_id, pipeline_number as a number or a string, build_url …)',
  })
  @IsOptional()
  @IsObject()
  @Validate(CiMetadataRule)
  ciMetadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The API token the approval is for: required for a person (a token you own); a token requests for itself',
  })
  @IsOptional()
  @IsUUID()
  targetTokenId?: string;

  @ApiPropertyOptional({ description: 'The pull request being deployed' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  prUrl?: string;

  @ApiPropertyOptional({ description: 'The CI pipeline or job asking' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  ciUrl?: string;
}

/** Optional notes on approve, reject, extend and cancel. */
export class ApprovalNotesDto {
  @ApiPropertyOptional({ example: 'Reviewed in #1234' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}
