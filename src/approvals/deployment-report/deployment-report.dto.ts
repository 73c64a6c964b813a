import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { DEPLOYMENT_EXCEPTIONS, type DeploymentException } from './deployment-exceptions';

export class DeploymentReportQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start (inclusive); default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (exclusive); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** One promote the gateway saw, with the approval it ran under and what an auditor must look at. */
export class DeploymentReportRow {
  @ApiProperty({ format: 'date-time' }) promotedAt!: string;
  @ApiProperty() app!: string;
  @ApiProperty() releaseId!: string;
  @ApiProperty({ type: String, nullable: true }) buildId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The approved commit' }) gitCommit!:
    string | null;
  @ApiProperty({ description: 'The person, or the owner of the token, who promoted' }) promotedBy!: string;
  @ApiProperty({ example: 'token' }) promotedByKind!: string;
  @ApiProperty({ type: String, nullable: true }) promotedByToken!: string | null;
  @ApiProperty({ example: 'success', description: 'The audit result of the promote call' }) result!: string;
  @ApiProperty({ type: Number, nullable: true }) status!: number | null;
  @ApiProperty({ format: 'uuid' }) auditEventId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvalRequestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) approvalStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) requester!: string | null;
  @ApiProperty({ type: String, nullable: true }) requesterToken!: string | null;
  @ApiProperty({ type: String, nullable: true }) approver!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvalExpiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deployedAt!: string | null;
  @ApiProperty({ enum: Object.keys(DEPLOYMENT_EXCEPTIONS), isArray: true })
  exceptions!: DeploymentException[];
  @ApiProperty({ type: [String] }) exceptionDescriptions!: string[];
}

export class DeploymentReport {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'More promotes than the limit (10000) fell in the range; narrow it' })
  truncated!: boolean;
  @ApiProperty({ type: [DeploymentReportRow] }) rows!: DeploymentReportRow[];
}
