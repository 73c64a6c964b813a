import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { chainValueOf, outcomeMacOf, type OutcomePart } from './audit-chain';
import type { RequestFields } from './audit-event-builder';
import type { AuditEventRow } from './audit-event-view';
import { microsToIso, nowMicros } from './audit-time';
import { appendAtHeadStatement, outcomesStatement, type ChainedRow } from './one-trip-statements';

/** Where the chain ends: the last index (undefined: empty) and its chain value. */
export interface ChainEnd {
  base: string | undefined;
  previous: Buffer | null;
}

type QueryResults = { rows: unknown[] } | { rows: unknown[] }[];

/** An open event's outcome to write: which event, and what the outcome MAC binds it to. */
export interface OutcomeWrite {
  eventId: string;
  chainIndex: string;
  chainValue: Buffer;
  part: OutcomePart;
}

/**
 * Audit writes in one round trip each (a simple-protocol query of several statements is one transaction).
 *
 * Appends: while this process knows where the chain ends (it appended last), a batch of open events is
 * chained in memory and written in one round trip and one commit (appendAtHeadStatement). When another
 * process appended in between, nothing is written and the caller appends the locked way, reading the end
 * from the database; what that leaves behind is remembered for the next batch.
 *
 * Outcomes: the UPDATEs of every outcome that ended together, in one round trip and one commit.
 */
export class OneTripWriter {
  private end?: ChainEnd;

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: string,
    private readonly lock: number,
  ) {}

  remember(end: ChainEnd | undefined): void {
    this.end = end;
  }

  /** The committed rows, or undefined when the end is unknown or moved (nothing was written then). */
  async tryAppend(batch: RequestFields[]): Promise<AuditEventRow[] | undefined> {
    const end = this.end;
    if (!end) return undefined;
    let { base, previous } = end;
    const rows: ChainedRow[] = batch.map((fields) => {
      const part = {
        chainIndex: base === undefined ? '0' : String(BigInt(base) + 1n),
        id: randomUUID(),
        occurredAt: microsToIso(nowMicros()),
        ...fields,
      };
      const chainValue = chainValueOf(this.key, previous, part);
      base = part.chainIndex;
      previous = chainValue;
      return { part, chainValue };
    });
    // Until this batch is known to be committed, nobody may chain onto what it assumed.
    this.end = undefined;
    const results = await this.run(appendAtHeadStatement(this.lock, end.base, rows));
    const inserted = results[results.length - 1].rows as AuditEventRow[];
    // Nothing written: another process appended since; the caller reads the end under the lock.
    if (inserted.length === 0) return undefined;
    const byId = new Map(inserted.map((row) => [row.id as string, row]));
    const ordered = rows.map(({ part }) => byId.get(part.id));
    if (ordered.some((row) => row === undefined)) throw new Error('audit append did not return every event');
    this.end = { base, previous };
    return ordered as AuditEventRow[];
  }

  /** Each event's row after its outcome, or null where the event was no longer open. */
  async writeOutcomes(writes: OutcomeWrite[]): Promise<(AuditEventRow | null)[]> {
    const results = await this.run(
      outcomesStatement(
        writes.map(({ eventId, chainIndex, chainValue, part }) => ({
          eventId,
          chainIndex,
          part,
          mac: outcomeMacOf(this.key, chainValue, part),
        })),
      ),
    );
    return results.map((result) => (result.rows[0] as AuditEventRow | undefined) ?? null);
  }

  /** Runs a multi-statement text on a pooled connection (TypeORM's query() would bind it as one statement). */
  private async run(sql: string): Promise<{ rows: unknown[] }[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(text: string): Promise<QueryResults> };
      const results = await client.query(sql);
      return Array.isArray(results) ? results : [results];
    } finally {
      await runner.release();
    }
  }
}
