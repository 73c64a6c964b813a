import { Injectable, Logger, type LoggerService } from '@nestjs/common';
import { unavailableReason } from './database-unavailable';

/** How often an ongoing outage is logged: often enough to see it last, rare enough not to flood. */
export const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Logs a database outage once per interval instead of once per refused request (a busy gateway refuses
 * hundreds of requests a second while PostgreSQL is down). The first failure is logged at once; later ones
 * in the same interval are counted, and the count goes into the next line.
 */
export class OutageLog {
  private lastLoggedAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<LoggerService, 'error'>,
    private readonly intervalMs = OUTAGE_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** `what` names the failed work (`request refused`, `audit write` …); `error` is the connection failure. */
  report(what: string, error: unknown): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const reason = unavailableReason(error);
    const more = this.suppressed > 0 ? `; ${this.suppressed} more failures since the last report` : '';
    this.logger.error(`database unavailable (${what}): ${reason}${more}`);
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }
}

/** The process's one outage log, shared by the exception filter, the audit writer and the finisher. */
@Injectable()
export class DatabaseOutageLog extends OutageLog {
  constructor() {
    super(new Logger('Database'));
  }
}
