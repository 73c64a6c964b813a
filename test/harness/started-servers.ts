/**
 * What a fixture has started so far (servers, child processes, database clients), closed newest first.
 * A fixture that starts several things registers each one as soon as it runs; if a later start fails,
 * `startServers` closes the earlier ones before passing the error on, so no listening socket or child
 * process outlives the failure and keeps Jest from exiting.
 */
export class StartedServers {
  private readonly closers: (() => Promise<unknown>)[] = [];

  /** Registers how to close something that has just started, and hands it back. */
  own<T>(started: T, close: (started: T) => unknown): T {
    this.closers.push(async () => close(started));
    return started;
  }

  /**
   * Closes everything registered, newest first. Every closer runs even when an earlier one fails; the
   * first failure is then thrown, so a broken close is still reported.
   */
  async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    while (this.closers.length > 0) {
      const close = this.closers.pop()!;
      await close().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }
}

/**
 * Runs a fixture's start-up with a fresh StartedServers. On success the fixture keeps the set (its
 * `close()` is usually `servers.closeAll()`); on failure everything started so far is closed first.
 */
export async function startServers<T>(start: (servers: StartedServers) => Promise<T>): Promise<T> {
  const servers = new StartedServers();
  try {
    return await start(servers);
  } catch (error) {
    // The start-up error is the one worth reading; a close failing after it must not hide it.
    await servers.closeAll().catch(() => undefined);
    throw error;
  }
}
