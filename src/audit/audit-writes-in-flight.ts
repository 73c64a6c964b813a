/**
 * The audit writes (events and outcomes) a process has started and not yet finished. A gateway shutting
 * down waits for them before it closes its database pool, so the last outcomes — the websockets it just
 * ended, the requests it let finish — are committed, not lost with the process.
 */
export class AuditWritesInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Returns `write` unchanged; it is remembered until it settles. */
  track<T>(write: Promise<T>): Promise<T> {
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return write;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once every write started so far, and every write those started, has settled. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
