import type { AuditOutcome } from './audit-recorder';

/** Outcomes kept for retry at most; beyond that the oldest is given up (the event stays open, visibly). */
const UNDELIVERED_LIMIT = 10_000;
const RETRY_EVERY_MS = 2_000;

/**
 * Outcomes that could not be written because the database was unreachable. The event itself is committed
 * (it was written before its call ran), so once PostgreSQL is back the outcome is written after all, and a
 * short outage leaves no event open.
 */
export class UndeliveredOutcomes {
  private readonly waiting = new Map<string, AuditOutcome>();
  private timer: NodeJS.Timeout | undefined;

  /** `deliver` writes one outcome; it throws while the database is still unreachable. */
  constructor(
    private readonly deliver: (eventId: string, outcome: AuditOutcome) => Promise<void>,
    private readonly stillUnavailable: (error: unknown) => boolean,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  keep(eventId: string, outcome: AuditOutcome): void {
    if (this.waiting.size >= UNDELIVERED_LIMIT)
      this.waiting.delete(this.waiting.keys().next().value as string);
    this.waiting.set(eventId, outcome);
    this.timer ??= setTimeout(() => void this.retry(), RETRY_EVERY_MS).unref();
  }

  private async retry(): Promise<void> {
    for (const [eventId, outcome] of [...this.waiting]) {
      try {
        await this.deliver(eventId, outcome);
        this.waiting.delete(eventId);
      } catch (error) {
        if (this.stillUnavailable(error)) break;
        // Anything else will not get better by retrying (the event is gone or already has an outcome).
        this.waiting.delete(eventId);
      }
    }
    this.timer = undefined;
    if (this.waiting.size > 0) this.timer = setTimeout(() => void this.retry(), RETRY_EVERY_MS).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
