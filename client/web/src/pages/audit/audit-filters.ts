import type { paths } from '../../api/openapi';

export type AuditFilters = NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>;

export const FILTER_KEYS = ['from', 'to', 'actor', 'action', 'app', 'decision', 'statusClass', 'q'] as const;

/** The URL's search values as API filters (empty ones dropped, so the server sees only what was asked). */
export function filtersFrom(search: Record<string, string | undefined>): AuditFilters {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) if (search[key]) filters[key] = search[key]!;
  return filters as AuditFilters;
}

export function exportHref(filters: AuditFilters, format: 'csv' | 'jsonl'): string {
  const params = new URLSearchParams({ ...(filters as Record<string, string>), format });
  return `/api/v1/audit-events/export?${params.toString()}`;
}

/** `datetime-local` values are local wall-clock times; the API wants ISO 8601 instants. */
export function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}
