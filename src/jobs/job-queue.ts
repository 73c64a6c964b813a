import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { errorMessage } from '../errors/error-message';
import { JOBS_DATABASE_URL, JOBS_SCHEMA } from './jobs-schema';

/** A kind of background job: its queue name and how it is retried. */
export interface JobKind<Args extends object> {
  /** Queue name: lower case, digits and `-` (pg-boss names a table partition after it). */
  readonly queue: string;
  /** Retries after the first attempt. */
  readonly retryLimit: number;
  /** Seconds before the first retry; each later retry waits about twice as long (with jitter). */
  readonly retryDelaySeconds: number;
  /** Phantom: the arguments' type, so enqueue and handler agree. */
  readonly args?: Args;
}

export type JobHandler<Args extends object> = (args: Args, job: { id: string }) => Promise<void>;

const QUEUE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
// An attempt still "active" this long after it started is presumed dead (its process stopped) and retried.
const ATTEMPT_TIMEOUT_SECONDS = 120;
// Advisory lock held while pg-boss installs its schema and creates the queues (migrations use 728443220).
// Two replicas booting together otherwise create the same queue partitions at once and PostgreSQL
// answers one of them with "deadlock detected", which stops that process.
const JOBS_SETUP_LOCK_KEY = 728443221;

/**
 * The PostgreSQL-backed job queue (pg-boss, in its own schema of the gateway's database). Jobs are rows,
 * so they survive a restart; a failed attempt is retried with exponential backoff; an attempt whose
 * process died is retried once it times out. Modules register their handlers while the app is built
 * (onModuleInit); the queue starts after that and every process works every queue.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly kinds = new Map<string, { kind: JobKind<object>; handler: JobHandler<object> }>();
  private readonly started: Promise<void>;
  private markStarted!: (error?: Error) => void;
  private lastErrorLog = 0;

  constructor(@Inject(JOBS_DATABASE_URL) private readonly databaseUrl: string) {
    // pg-boss hands its options to its pg Pool, whose connectionTimeoutMillis pg-boss's types do not list.
    const options: PgBoss.ConstructorOptions & { connectionTimeoutMillis: number } = {
      connectionString: databaseUrl,
      schema: JOBS_SCHEMA,
      application_name: 'rack-gateway-jobs',
      // A small pool of its own: workers poll, and the request pool must not wait behind them.
      max: 3,
      // More workers than connections, so a worker's poll can be waiting for one when stop() ends the pool;
      // pg-pool never answers such a waiter, the worker never stops, and pg-boss's stop then checks on it
      // every second for good (a process that closed its app stays alive). With a timeout the waiter gets an
      // error, the worker stops and nothing is left running.
      connectionTimeoutMillis: 5000,
      // No cron schedules are used; maintenance (retrying timed-out attempts, archiving) stays on.
      schedule: false,
    };
    this.boss = new PgBoss(options);
    // pg-boss reports polling failures as events; unhandled they would end the process. While the
    // database is down every poll fails, so the log gets one line per 10 s, not one per poll.
    this.boss.on('error', (error) => this.reportError(error));
    this.started = new Promise((resolve, reject) => {
      this.markStarted = (error) => (error ? reject(error) : resolve());
    });
    this.started.catch(() => undefined);
  }

  /** Declares a kind of job and the function that runs it. Call during module initialisation. */
  register<Args extends object>(kind: JobKind<Args>, handler: JobHandler<Args>): void {
    if (!QUEUE_NAME.test(kind.queue)) throw new Error(`job queue name ${kind.queue} is not valid`);
    if (this.kinds.has(kind.queue)) throw new Error(`job queue ${kind.queue} is registered twice`);
    this.kinds.set(kind.queue, { kind, handler: handler as JobHandler<object> });
  }

  /**
   * Stores a job; it runs in this or another gateway process. Resolves to the job's id. With `within` (the
   * EntityManager of an open transaction) the job's row is written on that transaction: it exists exactly
   * when the transaction commits, so a change and the work it owes are never separated by a crash.
   */
  async enqueue<Args extends object>(
    kind: JobKind<Args>,
    args: Args,
    within?: EntityManager,
  ): Promise<string> {
    if (!this.kinds.has(kind.queue)) throw new Error(`job queue ${kind.queue} has no handler`);
    const db = within ? onTransaction(within) : undefined;
    await this.started;
    const id = await this.boss.send(kind.queue, args, db ? { db } : {});
    if (!id) throw new Error(`job for ${kind.queue} was not stored`);
    return id;
  }

  queues(): string[] {
    return [...this.kinds.keys()].sort();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.oneProcessAtATime(async () => {
        await this.boss.start();
        for (const { kind } of this.kinds.values()) {
          await this.boss.createQueue(kind.queue, {
            name: kind.queue,
            retryLimit: kind.retryLimit,
            retryDelay: kind.retryDelaySeconds,
            retryBackoff: true,
            expireInSeconds: ATTEMPT_TIMEOUT_SECONDS,
          });
        }
      });
      for (const { kind, handler } of this.kinds.values()) {
        await this.boss.work<object>(
          kind.queue,
          { pollingIntervalSeconds: 1 },
          async (jobs: PgBoss.Job<object>[]) => {
            for (const job of jobs) await this.run(kind.queue, job, handler);
          },
        );
      }
      this.markStarted();
    } catch (error) {
      this.markStarted(error as Error);
      throw error;
    }
  }

  /** Runs the schema and queue set-up while no other gateway process does the same. */
  private async oneProcessAtATime(setUp: () => Promise<void>): Promise<void> {
    const lockHolder = new Client({
      connectionString: this.databaseUrl,
      application_name: 'rack-gateway-jobs-setup',
    });
    await lockHolder.connect();
    try {
      await lockHolder.query('SELECT pg_advisory_lock($1)', [JOBS_SETUP_LOCK_KEY]);
      try {
        await setUp();
      } finally {
        await lockHolder.query('SELECT pg_advisory_unlock($1)', [JOBS_SETUP_LOCK_KEY]);
      }
    } finally {
      await lockHolder.end();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Running attempts get a few seconds to finish; one cut off is retried after its timeout.
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: 5000 }).catch(() => undefined);
  }

  private async run(queue: string, job: PgBoss.Job<object>, handler: JobHandler<object>): Promise<void> {
    try {
      await handler(job.data, { id: job.id });
    } catch (error) {
      // Only the message: the admin API shows it, and stacks and causes may carry request details.
      this.logger.warn({ queue, job: job.id, error: errorMessage(error) }, `job ${queue} ${job.id} failed`);
      throw new Error(errorMessage(error));
    }
  }

  private reportError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.logger.error({ error: errorMessage(error) }, 'job queue cannot reach the database');
  }
}

/** pg-boss's SQL executor over a TypeORM transaction's own connection. */
function onTransaction(manager: EntityManager): PgBoss.Db {
  const runner = manager.queryRunner;
  // A manager outside a transaction would run the insert on any pooled connection, committed at once.
  if (!runner?.isTransactionActive) throw new Error('a job enqueued within a transaction needs its manager');
  return {
    executeSql: async (text, values) => ({ rows: (await runner.query(text, values, true)).records }),
  };
}
