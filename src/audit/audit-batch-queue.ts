interface Queued<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Jobs taken out of the queue to be written by someone else's transaction; settle them when it is over. */
export interface TakenJobs<J, R> {
  jobs: J[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for audit appends. Every append must hold the chain lock and commit before its caller
 * proceeds, so one append per transaction would serialise the whole gateway on commit latency. Instead,
 * jobs that arrive while a batch is being written wait and go together in the next transaction: each caller
 * still resolves only after its own event is durable, and under load the lock and fsync are shared.
 *
 * With `lingerMs`, a job that finds the queue idle waits that long before it is written (work nobody waits
 * for, such as outcomes): more jobs share the commit, and another writer may `take` them into its own
 * transaction meanwhile.
 */
export class AuditBatchQueue<J, R> {
  private readonly queue: Queued<J, R>[] = [];
  private draining = false;
  private lingering?: NodeJS.Timeout;
  private drained: Array<() => void> = [];

  constructor(
    private readonly writeBatch: (jobs: J[]) => Promise<R[]>,
    private readonly maxBatch = 128,
    private readonly lingerMs = 0,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (this.draining || this.lingering) return;
      if (this.lingerMs <= 0) return void this.drain();
      this.lingering = setTimeout(() => void this.drain(), this.lingerMs);
    });
  }

  /** Takes up to `max` waiting jobs out of the queue, for the caller to write and settle. */
  take(max: number): TakenJobs<J, R> {
    const taken = this.queue.splice(0, max);
    if (this.queue.length === 0) this.stopLingering();
    return {
      jobs: taken.map((item) => item.job),
      resolve: (results) => taken.forEach((item, index) => item.resolve(results[index])),
      reject: (error) => taken.forEach((item) => item.reject(error)),
    };
  }

  /** Writes whatever waits now and resolves once every job submitted so far is written (or has failed). */
  idle(): Promise<void> {
    if (!this.draining && this.queue.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.drained.push(resolve));
    if (!this.draining) void this.drain();
    return done;
  }

  private stopLingering(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
  }

  private async drain(): Promise<void> {
    this.stopLingering();
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
