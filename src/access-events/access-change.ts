/**
 * A change to who may do what, raised after it is committed: the websocket bridge re-checks the live
 * sessions it concerns and ends those that no longer pass. Plain JSON on purpose, so the same change can
 * travel between gateway processes (a database notification) and be delivered there unchanged.
 */
export type AccessChange =
  | { kind: 'token_revoked'; tokenId: string; userId: string; by: string | null }
  | { kind: 'session_revoked'; sessionId: string; userId: string; by: string | null }
  /** Every session of the user was revoked at once (logout everywhere, lock). */
  | { kind: 'user_sessions_revoked'; userId: string; by: string | null }
  | { kind: 'user_locked'; userId: string; by: string | null }
  | { kind: 'user_deleted'; userId: string; by: string | null }
  | { kind: 'user_roles_changed'; userId: string; by: string | null };

export type AccessChangeKind = AccessChange['kind'];

/** Where a delivered change came from: this process, or another gateway process relaying its own. */
export type AccessChangeOrigin = 'local' | 'remote';

/**
 * A listener may be async; `raise` waits for it so the caller (an admin request) ends after its effect.
 * Its errors are reported to `onListenerError` and never fail the change, which is already committed.
 */
export type AccessChangeListener = (change: AccessChange, origin: AccessChangeOrigin) => void | Promise<void>;

const ACCESS_CHANGE_KINDS: ReadonlySet<string> = new Set<AccessChangeKind>([
  'token_revoked',
  'session_revoked',
  'user_sessions_revoked',
  'user_locked',
  'user_deleted',
  'user_roles_changed',
]);

/**
 * Reads a change that arrived as JSON from elsewhere (another process); undefined when it is not one, so
 * a relay can drop garbage instead of delivering it.
 */
export function parseAccessChange(json: string): AccessChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const change = value as Record<string, unknown>;
  if (typeof change.kind !== 'string' || !ACCESS_CHANGE_KINDS.has(change.kind)) return undefined;
  if (typeof change.userId !== 'string') return undefined;
  if (change.by !== null && typeof change.by !== 'string') return undefined;
  if (change.kind === 'token_revoked' && typeof change.tokenId !== 'string') return undefined;
  if (change.kind === 'session_revoked' && typeof change.sessionId !== 'string') return undefined;
  return change as AccessChange;
}
