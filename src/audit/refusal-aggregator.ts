import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { auditContextFor } from './audit-request-context';
import { AuditService } from './audit.service';

const MINUTE_MS = 60_000;
/** Beyond this many (address, reason) pairs in a minute, further addresses share one tally per reason. */
const MAX_TALLIES = 20_000;
const OVERFLOW_ADDRESS = 'many-addresses';

/** One refused request, as the authentication path saw it. */
export interface CountedRefusal {
  clientIp: string;
  /** The authentication failure code (`authentication_required`, `invalid_credentials` …). */
  reason: string;
  /** 401, or 429 when the address or account was over its budget. */
  status: number;
  request?: IncomingMessage;
}

interface MinuteTally {
  minute: number;
  clientIp: string;
  reason: string;
  count: number;
  limited: number;
  firstAt: number;
  lastAt: number;
  /**
   * The events of the request whose refusal was recorded on its own (only the id list, so a tally never
   * keeps a whole request alive); the rest of the minute is folded into its event. Its refusal is the event
   * at `representativeIndex`: the next one that request records.
   */
  representative?: string[];
  representativeIndex?: number;
  deferred?: boolean;
}

/**
 * Keeps a flood of refusals from becoming a flood of audit rows (and of database writes on the request
 * path). The first refusal answered 401 of each (client address, reason, minute) is recorded as usual, with
 * its request id; every other one is only counted here, in memory. When the minute is over — and at
 * shutdown, so nothing is lost — each tally is folded into that first event (`event_count` = refusals that
 * minute, the summary under `refusals` in its outcome details), or written as one `auth:request_refused`
 * event when there is none (a minute of 429s only). A flood therefore costs O(addresses × reasons × minutes)
 * rows, each with an outcome, however many requests it sends.
 */
@Injectable()
export class RefusalAuditAggregator implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly tallies = new Map<string, MinuteTally>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(private readonly audit: AuditService) {}

  onModuleInit(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush(true);
  }

  /**
   * Counts one refusal. True when it is the first 401 of its (address, reason, minute) and the caller must
   * record it now; otherwise the request is marked so that nothing else records it.
   */
  count(refusal: CountedRefusal): boolean {
    const now = Date.now();
    const tally = this.tallyFor(Math.floor(now / MINUTE_MS), refusal.clientIp, refusal.reason, now);
    tally.count += 1;
    if (refusal.status === 429) tally.limited += 1;
    tally.lastAt = now;
    const ctx = auditContextFor(refusal.request);
    if (refusal.status !== 429 && !tally.representative && ctx) {
      tally.representative = ctx.eventIds;
      tally.representativeIndex = ctx.eventIds.length;
      return true;
    }
    if (ctx) ctx.refusalCounted = true;
    return false;
  }

  /** Writes the tallies of finished minutes (all of them when `final`). One flush runs at a time. */
  flush(final = false): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushDue(final));
    return this.flushing;
  }

  private tallyFor(minute: number, clientIp: string, reason: string, now: number): MinuteTally {
    let key = `${minute}|${clientIp}|${reason}`;
    let tally = this.tallies.get(key);
    if (tally) return tally;
    if (this.tallies.size >= MAX_TALLIES) {
      clientIp = OVERFLOW_ADDRESS;
      key = `${minute}|${clientIp}|${reason}`;
      tally = this.tallies.get(key);
      if (tally) return tally;
    }
    tally = { minute, clientIp, reason, count: 0, limited: 0, firstAt: now, lastAt: now };
    this.tallies.set(key, tally);
    return tally;
  }

  private schedule(): void {
    const wait = MINUTE_MS - (Date.now() % MINUTE_MS) + 250;
    this.timer = setTimeout(() => {
      void this.flush().finally(() => {
        if (this.timer) this.schedule();
      });
    }, wait);
    this.timer.unref();
  }

  private async flushDue(final: boolean): Promise<void> {
    const current = Math.floor(Date.now() / MINUTE_MS);
    const due = [...this.tallies].filter(([, tally]) => final || tally.minute < current);
    const kept: [string, MinuteTally][] = [];
    for (const [key, tally] of due) {
      this.tallies.delete(key);
      try {
        if (!(await this.write(tally, final))) kept.push([key, tally]);
        this.failing = false;
      } catch (error) {
        // The database may be down: keep counting and try again at the next minute (or say what is lost).
        if (final)
          this.logger.error({ err: error, refusals: summaryOf(tally) }, 'refusal summary not written');
        else if (!this.failing)
          this.logger.warn({ err: error }, 'refusal summaries not written yet; retrying');
        this.failing = true;
        if (!final) kept.push([key, tally]);
      }
    }
    for (const [key, tally] of kept) this.tallies.set(key, tally);
  }

  /** False when the tally must wait for its representative event to be completed. */
  private async write(tally: MinuteTally, final: boolean): Promise<boolean> {
    const representative = tally.representative;
    if (representative && tally.count === 1) return true;
    const summary = { refusals: summaryOf(tally) };
    const eventId = representative?.[tally.representativeIndex ?? 0];
    if (eventId && (await this.audit.addOccurrences(eventId, { ...fold(tally), details: summary }))) {
      return true;
    }
    // Recorded after the response, or still open: give it one more minute before writing on our own.
    if (representative && !final && !tally.deferred) {
      tally.deferred = true;
      return false;
    }
    // An open first event keeps its own count of one; one whose write failed left nothing to count it.
    const count = tally.count - (eventId ? 1 : 0);
    const id = await this.audit.record({
      action: 'auth:request_refused',
      decision: 'deny',
      rule: tally.reason,
      status: tally.limited > 0 ? 429 : 401,
      clientIp: tally.clientIp,
      details: { ...summary, refusals: { ...summary.refusals, count } },
    });
    if (count > 1)
      await this.audit.addOccurrences(id, { count, lastAt: new Date(tally.lastAt), details: {} });
    return true;
  }
}

function fold(tally: MinuteTally): { count: number; lastAt: Date } {
  return { count: tally.count, lastAt: new Date(tally.lastAt) };
}

function summaryOf(tally: MinuteTally): Record<string, unknown> {
  return {
    reason: tally.reason,
    clientIp: tally.clientIp,
    minute: new Date(tally.minute * MINUTE_MS).toISOString(),
    count: tally.count,
    limited: tally.limited,
    firstAt: new Date(tally.firstAt).toISOString(),
    lastAt: new Date(tally.lastAt).toISOString(),
  };
}
