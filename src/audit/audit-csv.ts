import type { AuditEventView } from './audit-event-view';

const COLUMNS: readonly (keyof AuditEventView)[] = [
  'time',
  'lastAt',
  'eventCount',
  'id',
  'chainIndex',
  'requestId',
  'actorType',
  'actorEmail',
  'tokenName',
  'channel',
  'clientIp',
  'userAgent',
  'rack',
  'action',
  'resourceType',
  'resourceName',
  'app',
  'method',
  'path',
  'decision',
  'rule',
  'status',
  'result',
  'latencyMs',
  'bytesIn',
  'bytesOut',
  'details',
  'outcomeDetails',
];

export function csvHeader(): string {
  return `${COLUMNS.join(',')}\n`;
}

export function csvLineFor(event: AuditEventView): string {
  return `${COLUMNS.map((column) => csvCell(event[column])).join(',')}\n`;
}

/**
 * RFC 4180 quoting, plus a leading `'` on cells that a spreadsheet would run as a formula (values such as
 * paths and user agents come from clients).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
