import { JobQueue, type JobKind } from '../../src/jobs/job-queue';
import { createTestDatabase } from '../harness/test-database';

const kinds: JobKind<object>[] = ['notify-slack', 'notify-webhook', 'notify-email', 'circleci-approve'].map(
  (queue) => ({ queue, retryLimit: 3, retryDelaySeconds: 1 }),
);

/** What each gateway process does at boot: install pg-boss's schema, create its queues, start working. */
async function bootQueue(databaseUrl: string): Promise<JobQueue> {
  const queue = new JobQueue(databaseUrl);
  for (const kind of kinds) queue.register(kind, async () => undefined);
  await queue.onApplicationBootstrap();
  return queue;
}

// Without a lock around the set-up, two processes creating the same queue partitions at once get
// "deadlock detected" from PostgreSQL in most rounds, and the loser does not start.
describe('job queue set-up by replicas booting together', () => {
  it('lets two processes set up the same fresh database at once, round after round', async () => {
    for (let round = 0; round < 4; round++) {
      const databaseUrl = await createTestDatabase();
      const queues = await Promise.all([bootQueue(databaseUrl), bootQueue(databaseUrl)]);
      await Promise.all(queues.map((queue) => queue.onApplicationShutdown()));
      expect(queues.map((queue) => queue.queues())).toEqual([
        kinds.map((kind) => kind.queue).sort(),
        kinds.map((kind) => kind.queue).sort(),
      ]);
    }
  }, 120_000);
});
