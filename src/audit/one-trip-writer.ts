import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { chainValueOf, outcomeMacOf, type OutcomePart } from './audit-chain';
import type { RequestFields } from './audit-event-builder';
import type { AuditEventRow } from './audit-event-view';
import { microsToIso, nowMicros } from './audit-time';
import {
  appendAtHeadStatement,
  outcomesStatement,
  type ChainedRow,
  type OutcomeUpdate,
} from './one-trip-statements';

/** Where the chain ends: the last index (undefined: empty) and its chain value. */
export interface ChainEnd {
  base: string | undefined;
  previous: Buffer | null;
}

type QueryResults = { rows: unknown[] } | { rows: unknown[] }[];

/** The pg pool under TypeORM's PostgreSQL driver: a multi-statement text goes to it as one simple query. */
interface PgPool {
  query(text: string): Promise<QueryResults>;
}

/** An open event's outcome to write: which event, and what the outcome MAC binds it to. */
export interface OutcomeWrite {
  eventId: string;
  chainIndex: string;
  chainValue: Buffer;
  part: OutcomePart;
}

/**
 * The first write of each event: one statement may target an event once. A later write of the same event
 * finds it completed, as a second UPDATE after the first would have.
 */
function firstPerEvent(writes: OutcomeWrite[]): OutcomeWrite[] {
  const seen = new Set<string>();
  return writes.filter((write) => !seen.has(write.eventId) && seen.add(write.eventId));
}

/** The updated rows (unordered, open events only) lined up with the writes: null where it was not open. */
function inOrderOf(writes: OutcomeWrite[], rows: AuditEventRow[]): (AuditEventRow | null)[] {
  const byId = new Map(rows.map((row) => [row.id as string, row]));
  return writes.map((write) => {
    const row = byId.get(write.eventId) ?? null;
    byId.delete(write.eventId);
    return row;
  });
}

/**
 * Audit writes in one round trip each (a simple-protocol query of several statements is one transaction).
 *
 * Appends: while this process knows where the chain ends (it appended last), a batch of open events is
 * chained in memory and written in one round trip and one commit (appendAtHeadStatement). When another
 * process appended in between, nothing is written and the caller appends the locked way, reading the end
 * from the database; what that leaves behind is remembered for the next batch.
 *
 * Outcomes: one UPDATE for every outcome that ended together, in one round trip and one commit — or in the
 * same transaction as the next append, which then costs no commit of its own.
 */
export class OneTripWriter {
  private end?: ChainEnd;
  private readonly pool: PgPool;

  /** `fullRows`: outcomes come back as whole rows (for the stdout mirror), else as ids only. */
  constructor(
    dataSource: DataSource,
    private readonly key: string,
    private readonly lock: number,
    private readonly fullRows = true,
  ) {
    // The driver's own pool, not a TypeORM query runner: nothing of TypeORM is needed for a text query.
    this.pool = (dataSource.driver as unknown as { master: PgPool }).master;
  }

  remember(end: ChainEnd | undefined): void {
    this.end = end;
  }

  /** Whether a batch could be appended in one round trip now. */
  get knowsEnd(): boolean {
    return this.end !== undefined;
  }

  /**
   * Appends `batch` (when the end is known) together with `outcomes` of earlier events, in one round trip
   * and one commit. `appended` is undefined when nothing was appended (end unknown or moved): the caller
   * appends the locked way. The outcomes are written either way, unless this throws.
   */
  async tryAppend(
    batch: RequestFields[],
    outcomes: OutcomeWrite[] = [],
  ): Promise<{ appended?: AuditEventRow[]; outcomes: (AuditEventRow | null)[] }> {
    const end = this.end;
    if (!end) return { outcomes: outcomes.length > 0 ? await this.writeOutcomes(outcomes) : [] };
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
    const statements = [appendAtHeadStatement(this.lock, end.base, rows)];
    if (outcomes.length > 0)
      statements.push(
        outcomesStatement(
          firstPerEvent(outcomes).map((write) => this.macked(write)),
          this.fullRows,
        ),
      );
    const results = await this.run(statements.join(';\n'));
    // The lock, the INSERT, then the outcomes' UPDATE.
    const inserted = results[1].rows as AuditEventRow[];
    const outcomeRows = outcomes.length > 0 ? inOrderOf(outcomes, results[2].rows as AuditEventRow[]) : [];
    // Nothing appended: another process appended since; the caller reads the end under the lock.
    if (inserted.length === 0) return { outcomes: outcomeRows };
    const byId = new Map(inserted.map((row) => [row.id as string, row]));
    const ordered = rows.map(({ part }) => byId.get(part.id));
    if (ordered.some((row) => row === undefined)) throw new Error('audit append did not return every event');
    this.end = { base, previous };
    return { appended: ordered as AuditEventRow[], outcomes: outcomeRows };
  }

  /** Each event's row after its outcome, or null where the event was no longer open. */
  async writeOutcomes(writes: OutcomeWrite[]): Promise<(AuditEventRow | null)[]> {
    if (writes.length === 0) return [];
    const [result] = await this.run(
      outcomesStatement(
        firstPerEvent(writes).map((write) => this.macked(write)),
        this.fullRows,
      ),
    );
    return inOrderOf(writes, result.rows as AuditEventRow[]);
  }

  private macked({ eventId, chainIndex, chainValue, part }: OutcomeWrite): OutcomeUpdate {
    return { eventId, chainIndex, part, mac: outcomeMacOf(this.key, chainValue, part) };
  }

  /** Runs a multi-statement text on a pooled connection (TypeORM's query() would bind it as one statement). */
  private async run(sql: string): Promise<{ rows: unknown[] }[]> {
    const results = await this.pool.query(sql);
    return Array.isArray(results) ? results : [results];
  }
}
