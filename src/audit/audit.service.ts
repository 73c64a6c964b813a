import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import { SettingsService } from '../settings/settings.service';
import { AuditEventRecord, buildRequestFields } from './audit-event-builder';
import { AuditEventRow, toAuditEventView } from './audit-event-view';
import { foldOccurrences } from './audit-folding';
import { AuditOutcome, AuditRecorder } from './audit-recorder';
import { auditContextFor, AuditRequestContext } from './audit-request-context';
import { AuditStdout } from './audit-stdout.service';
import { AuditBatchQueue } from './audit-batch-queue';
import { AuditWritesInFlight } from './audit-writes-in-flight';
import { AppendJob, AUDIT_CHAIN_LOCK, LockedAppender } from './locked-appender';
import { OneTripWriter } from './one-trip-writer';
import { OpenEventOutcomes } from './open-event-outcomes';
import { createRedactor, Redactor } from './redaction';
import { UndeliveredOutcomes } from './undelivered-outcomes';

/**
 * The audit log. `record` returns only after the event is committed (callers that must fail closed await
 * it); `complete` adds the outcome of an event recorded before its call ran. Appends are group-committed:
 * open events in one round trip while this process knows where the chain ends (OneTripWriter), otherwise
 * the locked way (LockedAppender); outcomes of open events are OpenEventOutcomes' business.
 */
@Injectable()
export class AuditService extends AuditRecorder implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  readonly redactor: Redactor;
  private readonly inFlight = new AuditWritesInFlight();
  private readonly appends = new AuditBatchQueue<AppendJob, AuditEventRow>((jobs) => this.appendBatch(jobs));
  private readonly oneTrip: OneTripWriter;
  private readonly locked: LockedAppender;
  private readonly outcomes: OpenEventOutcomes;
  private readonly key: string;
  private readonly undelivered = new UndeliveredOutcomes(
    (eventId, outcome) => this.writeCompletion(eventId, outcome),
    isDatabaseUnavailable,
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
    this.redactor = createRedactor(config.audit.redactExtraKeys);
    this.oneTrip = new OneTripWriter(dataSource, this.key, AUDIT_CHAIN_LOCK, stdout.enabled);
    this.locked = new LockedAppender(dataSource, this.key);
    this.outcomes = new OpenEventOutcomes(dataSource, this.key, this.redactor, this.oneTrip);
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
      if (row.result === 'open') this.outcomes.remember(row);
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
    const row = await this.outcomes.write(eventId, outcome);
    if (row) this.mirror(row);
  }

  /** The stdout mirror of a completed event (its view is built only when the mirror is on). */
  private mirror(row: AuditEventRow): void {
    if (this.stdout.enabled) this.stdout.write(toAuditEventView(row));
  }

  /**
   * Folds occurrences counted in memory (a flood of refusals) into a completed event (see audit-folding).
   * False when the event does not exist or is still open.
   */
  async addOccurrences(
    eventId: string,
    fold: { count: number; lastAt: Date; details: Record<string, unknown> },
  ): Promise<boolean> {
    const row = await foldOccurrences(this.dataSource, this.key, this.redactor, eventId, fold);
    if (row) this.mirror(row);
    return row !== null;
  }

  /**
   * One transaction for a batch of appends. Open events (the proxy's, every state-changing admin call's) go
   * in one round trip while this process knows where the chain ends, carrying the outcomes waiting then;
   * otherwise, and for events that come with their outcome (which may fold into an earlier one), the locked
   * way.
   */
  private async appendBatch(jobs: AppendJob[]): Promise<AuditEventRow[]> {
    if (this.oneTrip.knowsEnd && jobs.every((job) => job.input.status === undefined)) {
      const riders = this.outcomes.takeRiders(128);
      try {
        const written = await this.oneTrip.tryAppend(
          jobs.map((job) => job.fields),
          riders.writes,
        );
        riders.resolve(written.outcomes);
        if (written.appended) return written.appended;
      } catch (error) {
        // The outcomes only rode along: the carrier's failure is not theirs, so they are written on their
        // own (rejecting them would leave their events open for good).
        if (riders.writes.length > 0)
          this.oneTrip.writeOutcomes(riders.writes).then(riders.resolve, riders.reject);
        throw error;
      }
    }
    // Read before the chain lock is taken (a cached read, but it may have to query after a change).
    const foldSeconds = await this.settings.get('audit.read_folding_window');
    const { rows, end } = await this.locked.append(jobs, foldSeconds);
    // Committed: the next batch of open events may chain onto this end without reading it.
    this.oneTrip.remember(end);
    return rows;
  }
}
