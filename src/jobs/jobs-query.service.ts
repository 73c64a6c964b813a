import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createRedactor, type Redactor } from '../audit/redaction';
import { apiError } from '../access-control/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { JobPageDto, JobViewDto } from './dto/job-view.dto';
import type { JobState, ListJobsQuery } from './dto/list-jobs.query';
import { JOBS_SCHEMA } from './jobs-schema';

interface JobRow {
  id: string;
  name: string;
  state: JobState;
  data: Record<string, unknown> | null;
  retry_count: number;
  retry_limit: number;
  started_on: Date | null;
  created_on: Date;
  start_after: Date;
  completed_on: Date | null;
  output: { message?: unknown; value?: { message?: unknown } } | null;
  created_us: string;
}

const COLUMNS = `id, name, state::text AS state, data, retry_count, retry_limit, started_on, created_on,
  start_after, completed_on, output, (extract(epoch FROM created_on) * 1000000)::bigint::text AS created_us`;

/**
 * Reads pg-boss's tables (live jobs and the archive of finished ones) for the admin API. Arguments pass
 * through the audit log's redaction, and only the message of a failure is shown: job arguments never hold
 * secrets by design (workers read tokens and URLs from settings), and this keeps it so if one slips in.
 */
@Injectable()
export class JobsQueryService {
  private readonly redactor: Redactor;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redactor = createRedactor(config.audit.redactExtraKeys);
  }

  async list(query: ListJobsQuery): Promise<JobPageDto> {
    const limit = query.limit ?? 50;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.state) where.push(`state::text = ${param(query.state)}`);
    if (query.queue) where.push(`name = ${param(query.queue)}`);
    if (query.cursor) {
      const [micros, id] = decodeCursor(query.cursor);
      where.push(
        `(created_on, id) < (to_timestamp(${param(micros)}::numeric / 1000000), ${param(id)}::uuid)`,
      );
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${COLUMNS} FROM ${JOBS_SCHEMA}.job
         UNION ALL
         SELECT ${COLUMNS} FROM ${JOBS_SCHEMA}.archive
       ) AS jobs ${filter}
       ORDER BY created_on DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      jobs: page.map((row) => this.view(row)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_us, last.id) : null,
    };
  }

  private view(row: JobRow): JobViewDto {
    const message = row.output?.message ?? row.output?.value?.message;
    const failed = row.state === 'retry' || row.state === 'failed';
    return {
      id: row.id,
      queue: row.name,
      state: row.state,
      attempts: row.started_on ? row.retry_count + 1 : 0,
      maxAttempts: row.retry_limit + 1,
      args: (this.redactor.value(row.data ?? {}) ?? {}) as Record<string, unknown>,
      lastError: failed && typeof message === 'string' ? this.redactor.text(message) : null,
      createdAt: row.created_on.toISOString(),
      runAfter: row.start_after.toISOString(),
      startedAt: row.started_on?.toISOString() ?? null,
      finishedAt: row.completed_on?.toISOString() ?? null,
    };
  }
}

function encodeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!micros || !/^\d{1,20}$/.test(micros) || !id || !/^[0-9a-f-]{36}$/.test(id))
    throw apiError(
      HttpStatus.BAD_REQUEST,
      'invalid_cursor',
      'cursor must be the nextCursor of a previous page',
    );
  return [micros, id];
}
