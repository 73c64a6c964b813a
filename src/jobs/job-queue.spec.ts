import type { EntityManager } from 'typeorm';
import { JobQueue, type JobKind } from './job-queue';

const KIND: JobKind<{ n: number }> = { queue: 'spec-kind', retryLimit: 0, retryDelaySeconds: 1 };

describe('JobQueue.enqueue within a transaction', () => {
  // Never started: nothing here may reach a database.
  const queue = new JobQueue('postgres://127.0.0.1:1/never');
  queue.register(KIND, async () => undefined);

  it.each([
    ['a manager with no query runner (outside any transaction)', {}],
    ['a query runner whose transaction is over', { queryRunner: { isTransactionActive: false } }],
  ])('refuses %s instead of writing the job on its own, committed at once', async (_what, manager) => {
    await expect(queue.enqueue(KIND, { n: 1 }, manager as unknown as EntityManager)).rejects.toThrow(
      'a job enqueued within a transaction needs its manager',
    );
  });
});
