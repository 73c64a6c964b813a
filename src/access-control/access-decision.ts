/**
 * Every answer the access chain can give, closed: a step that refuses names one of these, the audit trail
 * files it under that name, and `statusOf` is the only place a code becomes an HTTP status.
 */
export const ACCESS_DECISION_CODES = [
  'allowed',
  // No usable credential: missing, unreadable, unknown, expired, revoked, or its owner is locked.
  'unauthenticated',
  // The request's Host is not PUBLIC_URL's (production only).
  'host-refused',
  // A cookie-authenticated call without this session's CSRF token, or from another origin.
  'csrf',
  // Only a browser session may do this (the console's own websockets); an API token may not.
  'session-required',
  // Too many refused credentials from this address or for this account.
  'rate-limited',
  // The principal lacks the permission the route (or the env change) needs.
  'missing-permission',
  // An admin route that declares no access rule; closed by default.
  'undeclared-route',
  // A rack call outside the route table.
  'unknown-route',
  // Bad method, unsafe path, a websocket-only route called without an upgrade, a malformed env form …
  'invalid-request',
  'payload-too-large',
  'unsupported-media-type',
  // A release would change an env key the settings protect.
  'protected-key',
  // A destructive rack call while `proxy.allow_destructive_actions` is off.
  'destructive-action-disabled',
  // A gated rack call (a deploy) without an approved deploy approval.
  'approval-required',
  // The session has not verified a second factor recently enough for this permission's MFA level.
  'mfa-required',
  // MFA is required and the person has no second factor yet.
  'mfa-enrollment-required',
  // The action needs a fresh second factor, which an API token cannot give.
  'mfa-unavailable-for-tokens',
  // The audit event could not be written, so the call may not run (fail closed).
  'audit-unavailable',
  // The client went away before the decision was made; nothing is forwarded.
  'client-gone',
] as const;

export type AccessDecisionCode = (typeof ACCESS_DECISION_CODES)[number];
export type RefusalCode = Exclude<AccessDecisionCode, 'allowed'>;

/** The HTTP status each decision is answered with; exhaustive, so a new code cannot go unmapped. */
export function statusOf(code: AccessDecisionCode): number {
  switch (code) {
    case 'allowed':
      return 200;
    case 'host-refused':
    case 'invalid-request':
      return 400;
    case 'unauthenticated':
    case 'mfa-required':
      return 401;
    case 'csrf':
    case 'session-required':
    case 'missing-permission':
    case 'undeclared-route':
    case 'unknown-route':
    case 'protected-key':
    case 'destructive-action-disabled':
    case 'approval-required':
    case 'mfa-enrollment-required':
    case 'mfa-unavailable-for-tokens':
      return 403;
    case 'payload-too-large':
      return 413;
    case 'unsupported-media-type':
      return 415;
    case 'rate-limited':
      return 429;
    case 'client-gone':
      return 499;
    case 'audit-unavailable':
      return 503;
  }
}

/**
 * One step's decision about one request, as the audit trail records it: the code, the words the client was
 * given, the permission at stake and anything else the step knows. `rule` names the finer rule when it says
 * more than the code (the credential failure `session_expired`, the setting that refused).
 */
export interface AccessDecision {
  step: string;
  code: AccessDecisionCode;
  reason?: string;
  rule?: string;
  permission?: string;
  details?: Record<string, unknown>;
}

/** What the request is about, as the audit event names it (set by the step that learns it). */
export interface AccessTarget {
  action?: string;
  resourceType?: string;
  resourceName?: string;
  app?: string;
  /** Public admin routes and routes that record their own events are not audited by the generic path. */
  isPublic?: boolean;
}
