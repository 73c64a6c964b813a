import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Filters shared by the list and the export. Every filter is optional; results are newest first. */
export class AuditFilterQuery {
  @ApiPropertyOptional({ description: 'Events at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Actor email (exact)' })
  @IsOptional()
  @IsEmail()
  actor?: string;

  @ApiPropertyOptional({ description: 'Action prefix, e.g. `convox:env:` or `auth:`' })
  @IsOptional()
  @Matches(/^[a-z0-9_:*.-]{1,150}$/i, { message: 'action must be an action prefix such as convox:env:' })
  action?: string;

  @ApiPropertyOptional({ description: 'Resource type (app, release, process, user …)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  resourceType?: string;

  @ApiPropertyOptional({ description: 'Resource name (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  resource?: string;

  @ApiPropertyOptional({ description: 'Convox app' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  app?: string;

  @ApiPropertyOptional({ enum: ['allow', 'deny', 'error'] })
  @IsOptional()
  @IsIn(['allow', 'deny', 'error'])
  decision?: 'allow' | 'deny' | 'error';

  @ApiPropertyOptional({ enum: ['1xx', '2xx', '3xx', '4xx', '5xx'] })
  @IsOptional()
  @IsIn(['1xx', '2xx', '3xx', '4xx', '5xx'])
  statusClass?: string;

  @ApiPropertyOptional({ description: 'Text contained in the path' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ListAuditEventsQuery extends AuditFilterQuery {
  @ApiPropertyOptional({ description: 'Page size (1–500, default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class ExportAuditEventsQuery extends AuditFilterQuery {
  @ApiPropertyOptional({ enum: ['csv', 'jsonl'], description: 'Default jsonl' })
  @IsOptional()
  @IsIn(['csv', 'jsonl'])
  format?: 'csv' | 'jsonl';
}
