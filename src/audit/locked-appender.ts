import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { chainValueOf, type ChainedPart, type OutcomePart } from './audit-chain';
import { ChainHead } from './audit-chain-head';
import type { RequestFields } from './audit-event-builder';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow } from './audit-event-view';
import { foldKeyOf, foldRepeatedRead } from './audit-folding';
import { clampStatus, isFoldableRead, resultOf } from './audit-outcome';
import type { AuditEventInput } from './audit-recorder';
import { microsToIso, nowMicros } from './audit-time';
import type { ChainEnd } from './one-trip-writer';
import { APPEND_COLUMNS, chainedTextValues } from './one-trip-statements';
import { present, writeOutcomeRow } from './outcome-row';

/** Every chain append takes this transaction-scoped advisory lock, so the chain has one total order. */
export const AUDIT_CHAIN_LOCK = 728443219;

/** One event to append: what the caller recorded and the request fields built from it. */
export interface AppendJob {
  input: AuditEventInput;
  fields: RequestFields;
}

/**
 * The general append path: one transaction that takes the chain lock, reads where the chain ends (once per
 * batch) and writes each event in turn. Events that come with their outcome are completed in the same
 * transaction, and an identical successful read within the folding window folds into the earlier event.
 */
export class LockedAppender {
  constructor(
    private readonly dataSource: DataSource,
    private readonly key: string,
  ) {}

  /** The rows written (or folded into), and where the chain ends once the transaction has committed. */
  async append(
    jobs: AppendJob[],
    foldSeconds: number,
  ): Promise<{ rows: AuditEventRow[]; end: ChainEnd | undefined }> {
    const head = new ChainHead();
    const rows = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const written: AuditEventRow[] = [];
      for (const job of jobs) written.push(await this.appendOne(manager, job, head, foldSeconds));
      return written;
    });
    return { rows, end: head.known() };
  }

  private async appendOne(
    manager: EntityManager,
    { input, fields }: AppendJob,
    head: ChainHead,
    foldSeconds: number,
  ): Promise<AuditEventRow> {
    const micros = nowMicros();
    const occurredAt = microsToIso(micros);
    const foldable =
      foldSeconds > 0 && isFoldableRead(fields.method, fields.action, input.decision, input.status);
    const foldKey = foldable ? foldKeyOf(fields, input.status) : null;
    if (foldKey) {
      const folded = await foldRepeatedRead(manager, this.key, foldKey, micros, foldSeconds);
      if (folded) return folded;
    }
    const { previous, base } = await head.current(manager);
    const part: ChainedPart = {
      chainIndex: base === undefined ? '0' : String(BigInt(base) + 1n),
      id: randomUUID(),
      occurredAt,
      ...fields,
    };
    const chainValue = chainValueOf(this.key, previous, part);
    head.advance(part.chainIndex, chainValue);
    const [inserted] = (await manager.query(
      `INSERT INTO audit_events (${APPEND_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$3,$24)
       RETURNING ${AUDIT_EVENT_COLUMNS}`,
      [part.chainIndex, part.id, part.occurredAt, ...chainedTextValues(part), chainValue, foldKey],
    )) as AuditEventRow[];
    // One round trip fewer per event: the row comes back from the INSERT itself.
    if (input.status === undefined) return inserted;
    const outcome: OutcomePart = {
      status: clampStatus(input.status),
      result: resultOf(input.decision, input.status, false),
      latencyMs: null,
      bytesIn: null,
      bytesOut: null,
      outcomeDetails: null,
      completedAt: occurredAt,
      eventCount: 1,
      lastAt: occurredAt,
    };
    return present(await writeOutcomeRow(manager, this.key, part.chainIndex, chainValue, outcome));
  }
}
