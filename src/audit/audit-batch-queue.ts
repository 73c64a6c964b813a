interface Queued<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for audit appends. Every append must hold the chain lock and commit before its caller
 * proceeds, so one append per transaction would serialise the whole gateway on commit latency. Instead,
 * jobs that arrive while a batch is being written wait and go together in the next transaction: each caller
 * still resolves only after its own event is durable, and under load the lock and fsync are shared.
 */
export class AuditBatchQueue<J, R> {
  private readonly queue: Queued<J, R>[] = [];
  private draining = false;
  private drained: Array<() => void> = [];

  constructor(
    private readonly writeBatch: (jobs: J[]) => Promise<R[]>,
    private readonly maxBatch = 128,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Resolves once every job submitted so far has been written (or has failed). */
  idle(): Promise<void> {
    if (!this.draining && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.draining = false;
      for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  // A failed batch is retried job by job, so one bad event cannot make its neighbours fail closed.
  private async write(batch: Queued<J, R>[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((item) => item.job));
      batch.forEach((item, index) => item.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const item of batch) await this.write([item]);
    }
  }
}
