import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATES, type JobState } from './list-jobs.query';

/** One background job as admins see it: arguments redacted, only the message of the last error. */
export class JobViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'notify-slack' })
  queue!: string;

  @ApiProperty({ enum: JOB_STATES })
  state!: JobState;

  @ApiProperty({ description: 'Attempts started so far' })
  attempts!: number;

  @ApiProperty({ description: 'Attempts allowed in all (the first one plus the retries)' })
  maxAttempts!: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Arguments, redacted' })
  args!: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the last attempt failed' })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'Not before this time (a retry waits here)' })
  runAfter!: string;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  startedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  finishedAt!: string | null;
}

export class JobPageDto {
  @ApiProperty({ type: [JobViewDto] })
  jobs!: JobViewDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}
