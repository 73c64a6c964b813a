import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChangeEvent } from './live-update-topics';

interface Row {
  chain_index: string;
  action: string;
  actor_email: string | null;
  resource_type: string | null;
  result: string;
  occurred_at: Date;
}

export const FEED_INTERVAL_MS = 1000;
/** An event still open after this long (a long exec or log tail) is announced anyway. */
const OPEN_LIMIT_MS = 30_000;

/**
 * The audit trail as the change feed: every change the console shows is audited, in every gateway process,
 * into one table, so reading new rows finds changes made anywhere. Events are written before their action
 * runs, so each is announced once its outcome is in (a page refetching then sees the change). Runs only
 * while someone listens: one indexed query per second per process.
 */
@Injectable()
export class LiveUpdatesFeed implements OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdatesFeed.name);
  private cursor?: bigint;
  private readonly announced = new Set<string>();
  private timer?: NodeJS.Timeout;
  private subscriber?: (events: ChangeEvent[]) => void;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Starts reading from the newest event on (known when this returns, so a listener told "ready" misses
   * nothing after it) and calls `deliver` with each batch of finished changes.
   */
  async start(deliver: (events: ChangeEvent[]) => void): Promise<void> {
    this.subscriber = deliver;
    if (this.cursor === undefined) {
      const [head] = await this.dataSource.query<{ head: string }[]>(
        'SELECT coalesce(max(chain_index), 0)::text AS head FROM audit_events',
      );
      this.cursor ??= BigInt(head.head);
    }
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), FEED_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cursor = undefined;
    this.announced.clear();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private ticking = false;

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (this.cursor === undefined) return;
      const rows = await this.dataSource.query<Row[]>(
        `SELECT chain_index::text, action, actor_email, resource_type, result, occurred_at
           FROM audit_events WHERE chain_index > $1 ORDER BY chain_index LIMIT 500`,
        [this.cursor.toString()],
      );
      const ready: ChangeEvent[] = [];
      for (const row of rows) {
        if (this.announced.has(row.chain_index)) continue;
        const open = row.result === 'open' && Date.now() - row.occurred_at.getTime() < OPEN_LIMIT_MS;
        if (open) continue;
        this.announced.add(row.chain_index);
        ready.push({ action: row.action, actorEmail: row.actor_email, resourceType: row.resource_type });
      }
      // The cursor moves past the announced prefix; anything still open is read again next time.
      for (const row of rows) {
        if (!this.announced.delete(row.chain_index)) break;
        this.cursor = BigInt(row.chain_index);
      }
      if (ready.length > 0) this.subscriber?.(ready);
    } catch (error) {
      this.logger.warn({ err: error }, 'live updates: reading the audit trail failed; retrying');
    } finally {
      this.ticking = false;
    }
  }
}
