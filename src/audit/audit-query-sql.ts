import type { AuditFilterQuery } from './dto/audit-query.dto';

/** A WHERE clause and its parameters, built from validated filters only (values are always bound). */
export interface AuditWhere {
  sql: string;
  params: unknown[];
}

export function auditWhere(filters: AuditFilterQuery, beforeIndex?: string): AuditWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (filters.from) add((p) => `occurred_at >= ${p}`, filters.from);
  if (filters.to) add((p) => `occurred_at < ${p}`, filters.to);
  if (filters.actor) add((p) => `actor_email = ${p}`, filters.actor.toLowerCase());
  if (filters.action) add((p) => `action LIKE ${p}`, `${escapeLike(filters.action)}%`);
  if (filters.resourceType) add((p) => `resource_type = ${p}`, filters.resourceType);
  if (filters.resource) add((p) => `resource_name = ${p}`, filters.resource);
  if (filters.app) add((p) => `app = ${p}`, filters.app);
  if (filters.decision) add((p) => `decision = ${p}`, filters.decision);
  if (filters.statusClass) {
    const low = Number(filters.statusClass[0]) * 100;
    add((p) => `status >= ${p}`, low);
    add((p) => `status < ${p}`, low + 100);
  }
  if (filters.q) add((p) => `path ILIKE ${p}`, `%${escapeLike(filters.q)}%`);
  if (beforeIndex !== undefined) add((p) => `chain_index < ${p}`, beforeIndex);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
