import type { IncomingMessage } from 'node:http';
import type { Principal } from '../access-control/principal';
import { annotationScope } from './annotation-scope';
import { auditContextFor } from './audit-request-context';

export type AuditDecision = 'allow' | 'deny' | 'error';

/** What a caller knows when something auditable happens. The recorder adds time, chain and redaction. */
export interface AuditEventInput {
  /** e.g. `convox:env:set`, `auth:login`, `auth:login_failed`, `gateway:user:update`. */
  action: string;
  decision: AuditDecision;
  /** The acting principal when known; for failed logins only `actorEmail` may be known. */
  principal?: Principal | null;
  actorEmail?: string;
  /** Which rule decided (`role:viewer`, `token-permission`, `unknown-route`, `session-expired` …). */
  rule?: string;
  resourceType?: string;
  resourceName?: string;
  /** Final HTTP status when already known (events completed later leave it out). */
  status?: number;
  /** Redacted before storage; never put secret values here on purpose. */
  details?: Record<string, unknown>;
  /** The request, for request id, client IP (socket/trusted-proxy derived), user agent, method and path. */
  request?: IncomingMessage;
}

/** The outcome of a call that was recorded before it ran (proxied requests, websocket sessions). */
export interface AuditOutcome {
  status: number;
  decision?: AuditDecision;
  latencyMs: number;
  bytesIn?: number;
  bytesOut?: number;
  details?: Record<string, unknown>;
}

/**
 * The audit log as the rest of the gateway sees it. `record` resolves only once the event is durably
 * written (callers that must fail closed await it and refuse with 503 if it throws).
 */
export abstract class AuditRecorder {
  abstract record(event: AuditEventInput): Promise<string>;
  abstract complete(eventId: string, outcome: AuditOutcome): Promise<void>;

  /**
   * Adds what a service learned to the event its HTTP route already recorded (the admin interceptor
   * records every state-changing admin call before the handler runs), instead of recording a second event
   * for the same call. The details land in the event's outcome, redacted like everything else. An operator
   * command collects them the same way (`collectAnnotations`); anywhere else there is no event to enrich,
   * so this does nothing.
   */
  annotate(details: Record<string, unknown>, request?: IncomingMessage): void {
    const ctx = auditContextFor(request);
    if (ctx) ctx.annotations = { ...ctx.annotations, ...details };
    else if (!request) Object.assign(annotationScope() ?? {}, details);
  }
}
