import { DynamicModule, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { JobsController } from './jobs.controller';
import { JobsQueryService } from './jobs-query.service';
import { JOBS_DATABASE_URL } from './jobs-schema';

/**
 * Background jobs (docs/NOTIFICATIONS.md): the pg-boss queue every module enqueues into and registers handlers
 * with, and the admin listing. Global, like the database it lives in.
 */
@Module({})
export class JobsModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      controllers: [JobsController],
      providers: [{ provide: JOBS_DATABASE_URL, useValue: databaseUrl }, JobQueue, JobsQueryService],
      exports: [JobQueue],
    };
  }
}
