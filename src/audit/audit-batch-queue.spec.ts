import { AuditBatchQueue } from './audit-batch-queue';

describe('AuditBatchQueue', () => {
  it('writes jobs that arrive during a write together in the next batch, in order', async () => {
    const batches: number[][] = [];
    const queue = new AuditBatchQueue<number, string>(async (jobs) => {
      batches.push(jobs);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return jobs.map((job) => `done ${job}`);
    });
    const results = await Promise.all([1, 2, 3, 4].map((job) => queue.submit(job)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('retries a failed batch job by job so only the bad job fails', async () => {
    const queue = new AuditBatchQueue<number, number>(async (jobs) => {
      if (jobs.includes(13)) throw new Error('bad event 13');
      return jobs.map((job) => job * 2);
    });
    const first = queue.submit(1);
    const settled = await Promise.allSettled([first, queue.submit(13), queue.submit(7)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('bad event 13'));
    expect((settled[2] as PromiseFulfilledResult<number>).value).toBe(14);
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const queue = new AuditBatchQueue<number, number>(async (jobs) => {
      sizes.push(jobs.length);
      return jobs;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((job) => queue.submit(job)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('tells when everything submitted so far is written', async () => {
    const written: number[] = [];
    const queue = new AuditBatchQueue<number, number>(async (jobs) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(...jobs);
      return jobs;
    });
    await queue.idle();
    void queue.submit(1);
    void queue.submit(2);
    await queue.idle();
    expect(written).toEqual([1, 2]);
  });
});

describe('AuditBatchQueue with a linger', () => {
  it('waits before writing, so jobs submitted meanwhile share one batch', async () => {
    const batches: number[][] = [];
    const queue = new AuditBatchQueue<number, number>(
      async (jobs) => {
        batches.push(jobs);
        return jobs;
      },
      128,
      20,
    );
    const first = queue.submit(1);
    // A later turn of the event loop, yet before any timer can fire: a 5 ms timer raced the 20 ms linger and
    // lost when a loaded machine paused the process between the two.
    await new Promise((resolve) => setImmediate(resolve));
    const second = queue.submit(2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('lets another writer take waiting jobs and settle them, and writes the rest at once when asked', async () => {
    const batches: number[][] = [];
    const queue = new AuditBatchQueue<number, string>(
      async (jobs) => {
        batches.push(jobs);
        return jobs.map((job) => `queue ${job}`);
      },
      128,
      60_000,
    );
    const taken = [queue.submit(1), queue.submit(2)];
    const elsewhere = queue.take(10);
    expect(elsewhere.jobs).toEqual([1, 2]);
    elsewhere.resolve(['other 1', 'other 2']);
    expect(await Promise.all(taken)).toEqual(['other 1', 'other 2']);
    const left = queue.submit(3);
    await queue.idle();
    expect(await left).toBe('queue 3');
    expect(batches).toEqual([[3]]);
  });
});
