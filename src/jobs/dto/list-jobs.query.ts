import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { KeysetPageQuery } from '../../access-control/keyset-page.query';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Filters of GET /api/v1/jobs; results are newest first, in keyset pages. */
export class ListJobsQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ enum: JOB_STATES, description: 'Only jobs in this state' })
  @IsOptional()
  @IsIn(JOB_STATES)
  state?: JobState;

  @ApiPropertyOptional({ description: 'Only jobs of this queue (e.g. notify-slack)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'queue must be a queue name such as notify-slack' })
  queue?: string;
}
