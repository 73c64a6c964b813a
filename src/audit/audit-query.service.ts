import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { AUDIT_EVENT_COLUMNS, AuditEventRow, AuditEventView, toAuditEventView } from './audit-event-view';
import { auditWhere } from './audit-query-sql';
import { AuditFilterQuery, ListAuditEventsQuery } from './dto/audit-query.dto';
import { csvHeader, csvLineFor } from './audit-csv';

export interface AuditEventPage {
  events: AuditEventView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const EXPORT_BATCH = 1000;

/** Reads for the audit API: keyset pages (newest first) and streamed exports. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListAuditEventsQuery): Promise<AuditEventPage> {
    const limit = query.limit ?? 100;
    const where = auditWhere(query, query.cursor);
    const rows = (await this.dataSource.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events ${where.sql} ORDER BY chain_index DESC LIMIT ${limit + 1}`,
      where.params,
    )) as AuditEventRow[];
    const page = rows.slice(0, limit).map(toAuditEventView);
    return { events: page, nextCursor: rows.length > limit ? page[page.length - 1].chainIndex : null };
  }

  /**
   * Writes every matching event to `out`, one keyset batch at a time, waiting for `drain` whenever the
   * client is slower than the database, so memory stays flat however large the range. Returns the count.
   */
  async export(filters: AuditFilterQuery, format: 'csv' | 'jsonl', out: Writable): Promise<number> {
    let cursor: string | undefined;
    let count = 0;
    if (format === 'csv' && !(await write(out, csvHeader()))) return count;
    for (;;) {
      const where = auditWhere(filters, cursor);
      const rows = (await this.dataSource.query(
        `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events ${where.sql} ORDER BY chain_index DESC LIMIT ${EXPORT_BATCH}`,
        where.params,
      )) as AuditEventRow[];
      for (const row of rows) {
        const event = toAuditEventView(row);
        const line = format === 'csv' ? csvLineFor(event) : `${JSON.stringify(event)}\n`;
        if (!(await write(out, line))) return count;
        count += 1;
      }
      if (rows.length < EXPORT_BATCH) return count;
      cursor = rows[rows.length - 1].chain_index;
    }
  }
}

/** Writes one chunk, waiting for drain on backpressure; false when the client has gone. */
async function write(out: Writable, chunk: string): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.write(chunk)) return true;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  return !out.destroyed;
}
