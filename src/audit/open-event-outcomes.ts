import type { DataSource } from 'typeorm';
import type { OutcomePart } from './audit-chain';
import { AuditBatchQueue } from './audit-batch-queue';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow } from './audit-event-view';
import { outcomePartOf } from './audit-outcome';
import type { AuditOutcome } from './audit-recorder';
import type { OneTripWriter, OutcomeWrite } from './one-trip-writer';
import { writeOutcomeRow } from './outcome-row';
import type { Redactor } from './redaction';

/** How long an outcome waits for an append to ride along with before it is written on its own. */
const OUTCOME_LINGER_MS = 10;

/** Events opened but not yet completed that this process remembers (one per in-flight call). */
const OPEN_EVENTS_LIMIT = 100_000;

/** What completing an open event needs to know about it (its outcome MAC binds the chain value). */
interface OpenEvent {
  chain_index: string;
  chain_value: Buffer;
  decision?: unknown;
  event_count?: unknown;
}

/** Outcomes waiting to ride in an append's transaction, and how to settle them once it is over. */
export interface Riders {
  writes: OutcomeWrite[];
  resolve(rows: (AuditEventRow | null)[]): void;
  reject(error: unknown): void;
}

/**
 * Outcomes of open events (a proxied call's, a state-changing admin call's). Events this process opened are
 * remembered, so their outcome is one UPDATE that needs no read; those outcomes are group-committed off
 * the request's path — they wait briefly for the next append to carry them in its transaction (no commit
 * of their own), else go together in one round trip. An event opened elsewhere is read under a row lock
 * first.
 */
export class OpenEventOutcomes {
  private readonly open = new Map<string, OpenEvent>();
  private readonly queue: AuditBatchQueue<OutcomeWrite, AuditEventRow | null>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: string,
    private readonly redactor: Redactor,
    oneTrip: OneTripWriter,
  ) {
    this.queue = new AuditBatchQueue((writes) => oneTrip.writeOutcomes(writes), 128, OUTCOME_LINGER_MS);
  }

  /** Keeps what completion needs for an event this process opened (bounded: a crash-orphaned entry ages out). */
  remember(row: AuditEventRow): void {
    if (this.open.size >= OPEN_EVENTS_LIMIT) this.open.delete(this.open.keys().next().value as string);
    const { chain_index, chain_value, decision, event_count } = row;
    this.open.set(row.id, { chain_index, chain_value, decision, event_count });
  }

  /** Writes the outcome; the completed row (or its id only, see OneTripWriter), null if it was not open. */
  async write(eventId: string, outcome: AuditOutcome): Promise<AuditEventRow | null> {
    const known = this.open.get(eventId);
    this.open.delete(eventId);
    if (known) {
      const part = outcomePartOf(known, outcome, this.redactor);
      return this.queue.submit(outcomeWriteOf(eventId, known, part));
    }
    return this.dataSource.transaction(async (manager) => {
      const [current] = (await manager.query(
        `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE id = $1 AND result = 'open' FOR UPDATE`,
        [eventId],
      )) as AuditEventRow[];
      if (!current) return null;
      const part = outcomePartOf(current, outcome, this.redactor);
      return writeOutcomeRow(manager, this.key, current.chain_index, current.chain_value, part);
    });
  }

  /** Takes the outcomes waiting now, for an append to carry in its own transaction. */
  takeRiders(max: number): Riders {
    const taken = this.queue.take(max);
    return { writes: taken.jobs, resolve: taken.resolve, reject: taken.reject };
  }

  /** Writes whatever still waits and resolves once every outcome submitted so far is written. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}

function outcomeWriteOf(eventId: string, known: OpenEvent, part: OutcomePart): OutcomeWrite {
  return { eventId, chainIndex: known.chain_index, chainValue: known.chain_value, part };
}
