import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditOutcome } from './audit-recorder';

/** What the audit trail tracks about one HTTP request while it runs. */
export interface AuditRequestContext {
  req: IncomingMessage;
  /** Absent for websocket upgrades, which are answered on the raw socket. */
  res?: ServerResponse;
  /** process.hrtime.bigint() when the request arrived. */
  startedAt: bigint;
  requestId?: string;
  /** Events recorded while handling this request; the still-open ones get the response's outcome. */
  eventIds: string[];
  /** Set when a write failed, so the fallback at the end does not try (and fail) again. */
  writeFailed: boolean;
  /**
   * Set when this request was one refusal of a flood: RefusalAuditAggregator counts it into one event per
   * address, reason and minute, so nothing is written for it here.
   */
  refusalCounted?: boolean;
  bytesIn: number;
  bytesOut: number;
  /** The start of a gateway-written error body, for the reason of a denial recorded after the fact. */
  errorBody: string;
  /** True once every access step let the call through and the admin audit interceptor saw it. */
  handlerReached?: boolean;
  /**
   * What the handler learned while it ran (how many sessions it revoked, the token it created …). Added to
   * the outcome of the request's event, so a service enriches the route's one event instead of recording a
   * second one.
   */
  annotations?: Record<string, unknown>;
  /** Event writes under way for this request; the finisher waits for them before it settles. */
  pendingWrites: Set<Promise<unknown>>;
  /** True from the moment the response is over (finished, or the connection is gone). */
  closed: boolean;
  /**
   * The outcome the request's events were given. An event recorded after this (a handler still running when
   * the client or the HTTP parser tore the connection down) is completed with it at once, so no request
   * leaves an event open.
   */
  settledWith?: AuditOutcome;
  /**
   * Resolves once the gateway has decided what to do with the request: an interceptor ran (and started
   * any event it records) or the exception filter answered. When the connection dies earlier — the HTTP
   * parser refuses a body while the credential is still being checked — the finisher waits for this, so the
   * request's one event names the caller instead of an anonymous refusal next to an event left open.
   */
  decided: Promise<void>;
  markDecided: () => void;
}

const storage = new AsyncLocalStorage<AuditRequestContext>();
const CONTEXT = Symbol('rgw.auditContext');

type WithContext = IncomingMessage & { [CONTEXT]?: AuditRequestContext };

export function attachAuditContext(ctx: AuditRequestContext, next: () => void): void {
  (ctx.req as WithContext)[CONTEXT] = ctx;
  // AsyncLocalStorage lets services that record events without passing the request still be linked to it.
  storage.run(ctx, next);
}

/** Links `req` to `ctx` without running the rest of the request inside it (websocket upgrades). */
export function bindAuditContext(ctx: AuditRequestContext): void {
  (ctx.req as WithContext)[CONTEXT] = ctx;
}

/** A fresh context for a request that starts now. */
export function newAuditContext(req: IncomingMessage, res?: ServerResponse): AuditRequestContext {
  let markDecided = (): void => undefined;
  const decided = new Promise<void>((resolve) => (markDecided = resolve));
  return {
    req,
    res,
    startedAt: process.hrtime.bigint(),
    eventIds: [],
    writeFailed: false,
    bytesIn: 0,
    bytesOut: 0,
    errorBody: '',
    pendingWrites: new Set(),
    closed: false,
    decided,
    markDecided,
  };
}

/** The context of `req` if given, else of the request being handled in this async flow. */
export function auditContextFor(req?: IncomingMessage): AuditRequestContext | undefined {
  if (req) return (req as WithContext)[CONTEXT];
  return storage.getStore();
}
