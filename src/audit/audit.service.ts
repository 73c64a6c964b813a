import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID, createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import { SettingsService } from '../settings/settings.service';
import { chainValueOf, ChainedPart, OutcomePart, outcomeMacOf } from './audit-chain';
import { AuditEventRecord, buildRequestFields, RequestFields } from './audit-event-builder';
import { AUDIT_EVENT_COLUMNS, AuditEventRow, toAuditEventView } from './audit-event-view';
import { APPEND_COLUMNS, chainedTextValues } from './one-trip-statements';
import { clampStatus, isFoldableRead, outcomePartOf, resultOf, storedOutcomeOf } from './audit-outcome';
import { AuditEventInput, AuditOutcome, AuditRecorder } from './audit-recorder';
import { auditContextFor, AuditRequestContext } from './audit-request-context';
import { microsToIso, nowMicros } from './audit-time';
import { AuditStdout } from './audit-stdout.service';
import { AuditBatchQueue } from './audit-batch-queue';
import { AuditWritesInFlight } from './audit-writes-in-flight';
import { ChainHead } from './audit-chain-head';
import { OneTripWriter, type OutcomeWrite } from './one-trip-writer';
import { createRedactor, Redactor } from './redaction';
import { stableJson, storableText } from './stable-json';
import { UndeliveredOutcomes } from './undelivered-outcomes';

/** Every chain append takes this transaction-scoped advisory lock, so the chain has one total order. */
export const AUDIT_CHAIN_LOCK = 728443219;

/** How long an outcome waits for an append to ride along with before it is written on its own. */
const OUTCOME_LINGER_MS = 10;

/** Events opened but not yet completed that this process remembers (one per in-flight call). */
const OPEN_EVENTS_LIMIT = 100_000;

interface AppendJob {
  input: AuditEventInput;
  fields: RequestFields;
}

interface OutcomeJob {
  eventId: string;
  known: OpenEvent;
  part: OutcomePart;
}

/** What `complete` needs to know about an open event to write its outcome. */
interface OpenEvent {
  chain_index: string;
  chain_value: Buffer;
  decision?: unknown;
  event_count?: unknown;
}

/**
 * The audit log. `record` returns only after the event is committed (callers that must fail closed await
 * it); `complete` adds the outcome of an event recorded before its call ran.
 */
@Injectable()
export class AuditService extends AuditRecorder implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly key: string;
  readonly redactor: Redactor;
  private readonly inFlight = new AuditWritesInFlight();
  private readonly appends = new AuditBatchQueue<AppendJob, AuditEventRow>((jobs) => this.appendBatch(jobs));
  private readonly oneTrip: OneTripWriter;
  private readonly openEvents = new Map<string, OpenEvent>();
  private readonly undelivered = new UndeliveredOutcomes(
    (eventId, outcome) => this.writeCompletion(eventId, outcome),
    isDatabaseUnavailable,
  );
  // Outcomes are group-committed too, off the request's path: they wait briefly for the next append to carry
  // them in its transaction (no commit of their own), else go together in one round trip.
  private readonly outcomes = new AuditBatchQueue<OutcomeJob, AuditEventRow | null>(
    (jobs) => this.oneTrip.writeOutcomes(jobs.map(outcomeWriteOf)),
    128,
    OUTCOME_LINGER_MS,
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stdout: AuditStdout,
    private readonly outage: DatabaseOutageLog,
    private readonly settings: SettingsService,
  ) {
    super();
    if (!config.audit.hmacSecret) throw new Error('AUDIT_HMAC_SECRET is required for the audit chain');
    this.key = config.audit.hmacSecret;
    this.oneTrip = new OneTripWriter(dataSource, this.key, AUDIT_CHAIN_LOCK, stdout.enabled);
    this.redactor = createRedactor(config.audit.redactExtraKeys);
  }

  async record(input: AuditEventRecord): Promise<string> {
    const ctx = auditContextFor(input.request);
    const written = this.inFlight.track(this.write(input, ctx));
    if (ctx) {
      const tracked = written.catch(() => undefined);
      ctx.pendingWrites.add(tracked);
      void tracked.then(() => ctx.pendingWrites.delete(tracked));
    }
    return written;
  }

  private async write(input: AuditEventRecord, ctx: AuditRequestContext | undefined): Promise<string> {
    try {
      const fields = buildRequestFields(input, ctx, {
        rack: this.config.rack.name,
        trustProxyHops: this.config.http.trustProxyHops,
        redactor: this.redactor,
      });
      const row = await this.appends.submit({ input, fields });
      if (row.result === 'open') this.rememberOpen(row);
      ctx?.eventIds.push(row.id);
      if (row.result !== 'open') this.mirror(row);
      // The request was over before this event was written: it gets the request's outcome now.
      else if (ctx?.settledWith) await this.complete(row.id, ctx.settledWith);
      return row.id;
    } catch (error) {
      if (ctx) ctx.writeFailed = true;
      // An outage fails every write at once: logged per interval, not per event.
      if (isDatabaseUnavailable(error)) this.outage.report('audit write', error);
      else this.logger.error({ err: error, action: input.action }, 'audit event could not be written');
      throw error;
    }
  }

  complete(eventId: string, outcome: AuditOutcome): Promise<void> {
    return this.inFlight.track(this.completeNow(eventId, outcome));
  }

  private async completeNow(eventId: string, outcome: AuditOutcome): Promise<void> {
    try {
      await this.writeCompletion(eventId, outcome);
    } catch (error) {
      // The event is committed; its outcome is written once the database answers again.
      if (isDatabaseUnavailable(error)) this.undelivered.keep(eventId, outcome);
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.undelivered.stop();
  }

  /**
   * Shutdown: every event and outcome already started is committed before the database pool closes, and
   * whatever still waits in the batch queues (an outcome lingering for an append to ride with) is written.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.settled();
    await this.appends.idle();
    await this.outcomes.idle();
  }

  private async writeCompletion(eventId: string, outcome: AuditOutcome): Promise<void> {
    const known = this.openEvents.get(eventId);
    this.openEvents.delete(eventId);
    // Recorded by this process: everything the outcome MAC needs is known, so one UPDATE suffices (it only
    // matches while the event is still open). Otherwise read the event under a row lock first.
    const row = known
      ? await this.outcomes.submit({ eventId, known, part: outcomePartOf(known, outcome, this.redactor) })
      : await this.dataSource.transaction(async (manager) => {
          const [current] = (await manager.query(
            `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE id = $1 AND result = 'open' FOR UPDATE`,
            [eventId],
          )) as AuditEventRow[];
          return current
            ? this.writeOutcome(
                manager,
                current.chain_index,
                current.chain_value,
                outcomePartOf(current, outcome, this.redactor),
              )
            : null;
        });
    if (row) this.mirror(row);
  }

  /** The stdout mirror of a completed event (its view is built only when the mirror is on). */
  private mirror(row: AuditEventRow): void {
    if (this.stdout.enabled) this.stdout.write(toAuditEventView(row));
  }

  /**
   * Folds occurrences counted in memory (a flood of refusals) into a completed event: its count becomes
   * `count`, its last time `lastAt`, and `details` join its outcome details, re-MACed like a folded read.
   * False when the event does not exist or is still open.
   */
  async addOccurrences(
    eventId: string,
    fold: { count: number; lastAt: Date; details: Record<string, unknown> },
  ): Promise<boolean> {
    const row = await this.dataSource.transaction(async (manager) => {
      const [target] = (await manager.query(
        `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE id = $1 AND result <> 'open' FOR UPDATE`,
        [eventId],
      )) as AuditEventRow[];
      if (!target) return null;
      const earlier = target.outcome_details ? (JSON.parse(String(target.outcome_details)) as object) : {};
      const merged = this.redactor.value({ ...earlier, ...fold.details });
      const part: OutcomePart = {
        ...storedOutcomeOf(target),
        outcomeDetails: storableText(stableJson(merged), 8000),
        eventCount: fold.count,
        lastAt: microsToIso(BigInt(fold.lastAt.getTime()) * 1000n),
      };
      return this.writeOutcome(manager, target.chain_index, target.chain_value, part);
    });
    if (row) this.mirror(row);
    return row !== null;
  }

  /** Keeps what `complete` needs for events this process opened (bounded: a crash-orphaned entry ages out). */
  private rememberOpen(row: AuditEventRow): void {
    if (this.openEvents.size >= OPEN_EVENTS_LIMIT)
      this.openEvents.delete(this.openEvents.keys().next().value as string);
    const { chain_index, chain_value, decision, event_count } = row;
    this.openEvents.set(row.id as string, { chain_index, chain_value, decision, event_count });
  }

  /**
   * One transaction for a batch of appends. Open events (the proxy's, every state-changing admin call's) go
   * in one round trip while this process knows where the chain ends; otherwise, and for events that come
   * with their outcome (which may fold into an earlier one), the chain lock and the head are taken once for
   * the whole batch and each event is written in turn.
   */
  private async appendBatch(jobs: AppendJob[]): Promise<AuditEventRow[]> {
    if (this.oneTrip.knowsEnd && jobs.every((job) => job.input.status === undefined)) {
      const riders = this.outcomes.take(128);
      try {
        const written = await this.oneTrip.tryAppend(
          jobs.map((job) => job.fields),
          riders.jobs.map(outcomeWriteOf),
        );
        riders.resolve(written.outcomes);
        if (written.appended) return written.appended;
      } catch (error) {
        // The outcomes only rode along: the carrier's failure is not theirs, so they are written on their
        // own (rejecting them would leave their events open for good).
        if (riders.jobs.length > 0)
          this.oneTrip.writeOutcomes(riders.jobs.map(outcomeWriteOf)).then(riders.resolve, riders.reject);
        throw error;
      }
    }
    // Read before the chain lock is taken (a cached read, but it may have to query after a change).
    const foldSeconds = await this.settings.get('audit.read_folding_window');
    const head = new ChainHead();
    const rows = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const written: AuditEventRow[] = [];
      for (const job of jobs)
        written.push(await this.append(manager, job.input, job.fields, head, foldSeconds));
      return written;
    });
    // Committed: the next batch of open events may chain onto this end without reading it.
    this.oneTrip.remember(head.known());
    return rows;
  }

  private async append(
    manager: EntityManager,
    input: AuditEventInput,
    fields: RequestFields,
    head: ChainHead,
    foldSeconds: number,
  ): Promise<AuditEventRow> {
    const micros = nowMicros();
    const occurredAt = microsToIso(micros);
    const foldable =
      foldSeconds > 0 && isFoldableRead(fields.method, fields.action, input.decision, input.status);
    const foldKey = foldable ? foldKeyOf(fields, input.status) : null;
    if (foldKey) {
      const folded = await this.fold(manager, foldKey, micros, foldSeconds);
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
    return present(await this.writeOutcome(manager, part.chainIndex, chainValue, outcome));
  }

  /** Folds a repeated read into the latest identical event of the window: its count and last time grow. */
  private async fold(
    manager: EntityManager,
    foldKey: string,
    micros: bigint,
    foldSeconds: number,
  ): Promise<AuditEventRow | null> {
    const windowStart = microsToIso(micros - BigInt(foldSeconds) * 1_000_000n);
    const [target] = (await manager.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events
       WHERE fold_key = $1 AND last_at >= $2 AND result <> 'open'
       ORDER BY chain_index DESC LIMIT 1`,
      [foldKey, windowStart],
    )) as AuditEventRow[];
    if (!target) return null;
    const part: OutcomePart = {
      ...storedOutcomeOf(target),
      eventCount: Number(target.event_count) + 1,
      lastAt: microsToIso(micros),
    };
    return present(await this.writeOutcome(manager, target.chain_index, target.chain_value, part));
  }

  private async writeOutcome(
    manager: EntityManager,
    chainIndex: string,
    chainValue: Buffer,
    part: OutcomePart,
    onlyIfOpenId?: string,
  ): Promise<AuditEventRow | null> {
    const [updated] = (await manager.query(
      `UPDATE audit_events SET status = $2, result = $3, latency_ms = $4, bytes_in = $5, bytes_out = $6,
         outcome_details = $7, completed_at = $8, event_count = $9, last_at = $10, outcome_mac = $11
       WHERE chain_index = $1 ${onlyIfOpenId ? "AND id = $12 AND result = 'open'" : ''}
       RETURNING ${AUDIT_EVENT_COLUMNS}`,
      [
        chainIndex,
        part.status,
        part.result,
        part.latencyMs,
        part.bytesIn,
        part.bytesOut,
        part.outcomeDetails,
        part.completedAt,
        part.eventCount,
        part.lastAt,
        outcomeMacOf(this.key, chainValue, part),
        ...(onlyIfOpenId ? [onlyIfOpenId] : []),
      ],
    )) as [AuditEventRow[], number];
    // The pg driver answers an UPDATE … RETURNING with [rows, affected count].
    return updated[0] ?? null;
  }
}

function outcomeWriteOf(job: OutcomeJob): OutcomeWrite {
  return {
    eventId: job.eventId,
    chainIndex: job.known.chain_index,
    chainValue: job.known.chain_value,
    part: job.part,
  };
}

function foldKeyOf(fields: RequestFields, status: number | undefined): string {
  const identity = [
    fields.actorEmail,
    fields.tokenId,
    fields.action,
    fields.resourceType,
    fields.resourceName,
    fields.decision,
    String(status),
    fields.method,
    fields.path,
    fields.clientIp,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function present(row: AuditEventRow | null): AuditEventRow {
  if (!row) throw new Error('audit event vanished while its outcome was written');
  return row;
}
