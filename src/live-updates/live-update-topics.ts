import type { PrincipalAbility } from '../rbac/ability.factory';

/**
 * What a change concerns, as the console's pages see it. A client is told only the topic ("users
 * changed"), never what changed: its page refetches through the API, which applies the reader's rights.
 */
export type LiveTopic =
  'audit' | 'users' | 'tokens' | 'sessions' | 'settings' | 'roles' | 'mfa' | 'approvals';

/** One appended audit event, as the feed reads it. */
export interface ChangeEvent {
  action: string;
  actorEmail: string | null;
  resourceType: string | null;
}

/** Topics by action prefix, with the permission that lets anyone hear about others' changes there. */
const RULES: ReadonlyArray<{ prefix: string; topic: LiveTopic; readAll: string | null }> = [
  { prefix: 'gateway:user:', topic: 'users', readAll: 'gateway:user:read' },
  { prefix: 'gateway:token:', topic: 'tokens', readAll: 'gateway:token:read' },
  { prefix: 'gateway:session:', topic: 'sessions', readAll: 'gateway:session:read' },
  { prefix: 'auth:login', topic: 'sessions', readAll: 'gateway:session:read' },
  { prefix: 'auth:logout', topic: 'sessions', readAll: 'gateway:session:read' },
  { prefix: 'auth:cli_login', topic: 'sessions', readAll: 'gateway:session:read' },
  { prefix: 'gateway:settings:', topic: 'settings', readAll: 'gateway:settings:read' },
  { prefix: 'gateway:role:', topic: 'roles', readAll: 'gateway:role:read' },
  // Readers see their own requests only; approvers see every request.
  { prefix: 'gateway:deploy_approval:', topic: 'approvals', readAll: 'gateway:deploy_approval:approve' },
  // Second factors are one's own business only.
  { prefix: 'mfa:', topic: 'mfa', readAll: null },
];

/** The topics a reader may hear about for these events: others' changes need the read permission. */
export function topicsFor(
  events: readonly ChangeEvent[],
  reader: { email: string; ability: PrincipalAbility },
): LiveTopic[] {
  const topics = new Set<LiveTopic>();
  const canRead = (permission: string | null) => permission !== null && safeCan(reader.ability, permission);
  for (const event of events) {
    if (canRead('gateway:audit:read')) topics.add('audit');
    const rule = RULES.find((candidate) => event.action.startsWith(candidate.prefix));
    if (!rule) continue;
    const own = event.actorEmail !== null && event.actorEmail === reader.email;
    if (own || canRead(rule.readAll)) topics.add(rule.topic);
  }
  return [...topics].sort();
}

/** A permission the catalog does not know (yet) is simply not held. */
function safeCan(ability: PrincipalAbility, permission: string): boolean {
  try {
    return ability.can(permission);
  } catch {
    return false;
  }
}
