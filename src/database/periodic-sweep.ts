import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

/**
 * Housekeeping run every `intervalMs` while the app runs (expiring, deleting what nobody may use any more).
 * The timer never keeps the process alive and stops at shutdown; a failed pass is logged and the next one
 * tries again, so a database outage costs one warning per interval, not a crash.
 */
export abstract class PeriodicSweep implements OnModuleInit, OnApplicationShutdown {
  protected readonly logger: Logger;
  private timer?: NodeJS.Timeout;

  protected constructor(
    name: string,
    private readonly intervalMs: number,
  ) {
    this.logger = new Logger(name);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass now; how many rows it handled (0 when it failed, or when the pass does not count them). */
  async sweep(): Promise<number> {
    try {
      return (await this.sweepOnce()) ?? 0;
    } catch (error) {
      this.logger.warn(`sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }

  protected abstract sweepOnce(): Promise<number | void>;
}
