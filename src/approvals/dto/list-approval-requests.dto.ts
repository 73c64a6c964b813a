import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApprovalRequestView } from '../approval-request-view';
import { APPROVAL_STATUSES, type ApprovalStatus } from '../approval-status';
import { KeysetPageQuery } from '../../access-control/keyset-page.query';

export class ListApprovalRequestsQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ enum: APPROVAL_STATUSES })
  @IsOptional()
  @IsIn(APPROVAL_STATUSES)
  status?: ApprovalStatus;

  @ApiPropertyOptional({ example: 'myapp' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'app must be a Convox app name' })
  app?: string;

  @ApiPropertyOptional({ example: 'main' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  branch?: string;

  @ApiPropertyOptional({ description: 'A commit or its prefix: 7 to 40 lower-case hex characters' })
  @IsOptional()
  @Matches(/^[0-9a-f]{7,40}$/, { message: 'gitCommit must be 7 to 40 lower-case hex characters' })
  gitCommit?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;
}

export class ApprovalRequestPage {
  @ApiProperty({ type: [ApprovalRequestView], description: 'Newest first' }) items!: ApprovalRequestView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null at the end',
  })
  nextCursor!: string | null;
}

export class ApprovalRequestParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
    message: 'id must be a deploy approval request id (a UUID)',
  })
  id!: string;
}

/** The body of a 409: the open request that already exists for this token, app and commit. */
export class ApprovalRequestConflict {
  @ApiProperty({ example: 'approval_request_exists' }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: APPROVAL_STATUSES }) status!: ApprovalStatus;
  @ApiProperty({ type: ApprovalRequestView }) request!: ApprovalRequestView;
}
