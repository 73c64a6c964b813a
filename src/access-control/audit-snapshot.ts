import type { Principal } from './principal';

/** What a snapshot is taken of: the admin call's route parameters and (parsed, not yet validated) body. */
export interface AuditSnapshotTarget {
  params: Record<string, string>;
  body: unknown;
  principal?: Principal;
  /** The handler's answer; present only for the snapshot taken after it ran (a created token's id …). */
  result?: unknown;
}

/** A subject's recorded state: identifying and reviewable fields only, never a secret or a hash. */
export type AuditState = Record<string, unknown>;

/**
 * How the audit trail reads the state of what an admin call changes, so that every change records its
 * before and after. A route names its snapshot with `@AuditChange(...)`; the admin audit interceptor calls
 * it once before the handler (stored in the event's details as `before`) and once after it (the outcome's
 * `after`). `null` means the subject does not exist: `before` of a creation, `after` of a deletion.
 */
export abstract class AuditSnapshot {
  abstract snapshot(target: AuditSnapshotTarget): Promise<AuditState | null>;
}

/**
 * The outcome's `after`, read once the change is done. The change cannot be undone any more, so a failed
 * read is noted rather than thrown.
 */
export async function afterOf(snapshot: AuditSnapshot, target: AuditSnapshotTarget): Promise<AuditState> {
  try {
    return { after: await snapshot.snapshot(target) };
  } catch {
    return { after: null, afterUnreadable: true };
  }
}

/** The one string a target field holds, or undefined (bodies are not validated yet when `before` is read). */
export function stringField(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only well-formed ids reach a uuid column: a malformed one would make PostgreSQL throw. */
export function uuidOrUndefined(value: string | undefined): string | undefined {
  return value !== undefined && UUID.test(value) ? value : undefined;
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
