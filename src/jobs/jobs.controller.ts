import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { JobPageDto } from './dto/job-view.dto';
import { ListJobsQuery } from './dto/list-jobs.query';
import { JobsQueryService } from './jobs-query.service';

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsQueryService) {}

  @RequirePermission('gateway:job:read')
  @Get()
  @ApiOperation({ summary: 'List background jobs (notifications, CI calls), newest first' })
  @ApiOkResponse({ type: JobPageDto })
  list(@Query() query: ListJobsQuery): Promise<JobPageDto> {
    return this.jobs.list(query);
  }
}
