import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessDecisionCode } from '../access-control/access-decision';
import { accessRecordOf, refusalOf } from '../access-control/access-record';
import type { MaybeAuthenticatedRequest } from '../access-control/access-request';
import { isRackProxyPath } from '../access-control/rack-proxy-path';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import type { AuditDecision, AuditOutcome } from './audit-recorder';
import type { AuditRequestContext } from './audit-request-context';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long a request cut off before its answer may still take to reach a decision (guards hitting the DB). */
const DECISION_WAIT_MS = 10_000;

/**
 * Runs when a response is over (finished, or the client went away). Events recorded during the request
 * get its outcome. A request that should have been audited but never had its event written — refused by
 * an access step, or a proxied call stopped before the audit-first step — is recorded here, so denials land
 * in the database too. What it writes is what the access chain recorded (the target, the refusing step's
 * decision code and rule); nothing is re-derived from routes or error texts.
 */
@Injectable()
export class AuditRequestFinisher {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditService,
    private readonly outage: DatabaseOutageLog,
  ) {}

  async finish(ctx: AuditRequestContext, res: ServerResponse): Promise<void> {
    ctx.closed = true;
    const aborted = !res.writableFinished;
    const cutOff = aborted && !res.headersSent;
    if (cutOff) await decisionOf(ctx);
    await settlePendingWrites(ctx);
    await this.settle(ctx, cutOff ? 499 : res.statusCode, aborted);
  }

  /**
   * A websocket upgrade refused before it became a session (bad credential, no permission, wrong Host, rack
   * unreachable): the events recorded while deciding get the status the client got, or — if nothing was
   * recorded — the refusal is recorded now, exactly like a refused HTTP request.
   */
  async finishRefusedUpgrade(ctx: AuditRequestContext, status: number, error: string): Promise<void> {
    ctx.errorBody = JSON.stringify({ error });
    ctx.closed = true;
    await settlePendingWrites(ctx);
    await this.settle(ctx, status, false);
  }

  private async settle(ctx: AuditRequestContext, status: number, aborted: boolean): Promise<void> {
    const error = errorTextOf(ctx.errorBody, status);
    // A refusal after the rack call's event was opened (the env-change step) turns that event into a denial.
    const record = accessRecordOf(ctx.req);
    const lateRefusal = record.eventOpened ? refusalOf(ctx.req) : undefined;
    const details = {
      ...ctx.annotations,
      ...(aborted ? { aborted: true } : {}),
      ...(error ? { error } : {}),
      ...(lateRefusal ? { refusal: lateRefusal.code } : {}),
    };
    const outcome: AuditOutcome = {
      status,
      ...(lateRefusal ? { decision: auditDecisionOf(lateRefusal.code) } : {}),
      latencyMs: Number(process.hrtime.bigint() - ctx.startedAt) / 1e6,
      // Admin bodies are parsed before this module sees them; their declared length stands in.
      bytesIn: ctx.bytesIn || Number(ctx.req.headers['content-length'] ?? 0) || 0,
      bytesOut: ctx.bytesOut,
      details: Object.keys(details).length > 0 ? details : undefined,
    };
    // From here on, events recorded by a handler that is still running are completed as they are written.
    ctx.settledWith = outcome;
    const recorded = [...ctx.eventIds];
    try {
      if (recorded.length > 0) {
        for (const id of recorded) await this.audit.complete(id, outcome);
        return;
      }
      if (ctx.writeFailed || ctx.refusalCounted || !this.needsFallback(ctx, status)) return;
      const id = await this.audit.record({ ...this.fallbackEvent(ctx, status), request: ctx.req });
      await this.audit.complete(id, outcome);
    } catch (failure) {
      if (isDatabaseUnavailable(failure)) this.outage.report('audit outcome', failure);
      else this.logger.error({ err: failure }, 'could not finish the audit event of a request');
    }
  }

  private needsFallback(ctx: AuditRequestContext, status: number): boolean {
    if (isRackProxyPath(urlOf(ctx.req))) return true;
    if (status === 401 || status === 403) return true;
    // A state-changing admin call whose handler ran without recording anything.
    const target = accessRecordOf(ctx.req).target;
    return MUTATING.has(ctx.req.method ?? '') && ctx.handlerReached === true && !target?.isPublic;
  }

  private fallbackEvent(ctx: AuditRequestContext, status: number) {
    const req = ctx.req as MaybeAuthenticatedRequest;
    const target = accessRecordOf(req).target;
    const refusal = refusalOf(req);
    const decision: AuditDecision = refusal
      ? auditDecisionOf(refusal.code)
      : status >= 500
        ? 'error'
        : status === 401 || status === 403
          ? 'deny'
          : 'allow';
    const rule = refusal
      ? (refusal.rule ?? refusal.code)
      : status >= 400
        ? `http-${status}`
        : 'route-permission';
    if (isRackProxyPath(urlOf(req))) {
      // A proxied call with no event of its own was stopped by the gateway itself: a refusal, whatever its 4xx.
      return {
        action: target?.action ?? 'convox:unknown:route',
        decision: refusal || status < 400 || status >= 500 ? decision : 'deny',
        rule,
        resourceType: target?.resourceType,
        resourceName: target?.resourceName,
      };
    }
    return {
      action: target?.action || adminActionOf(req.method, req.path ?? ''),
      decision,
      rule,
      resourceType: target?.resourceType,
      resourceName: target?.resourceName,
    };
  }
}

/** How the audit trail files an access decision: a refusal is a denial, a failure to audit an error. */
export function auditDecisionOf(code: AccessDecisionCode): AuditDecision {
  switch (code) {
    case 'allowed':
    case 'client-gone':
      return 'allow';
    case 'audit-unavailable':
      return 'error';
    default:
      return 'deny';
  }
}

/** Upgrade requests have no `originalUrl` (Express never saw them). */
function urlOf(req: IncomingMessage & { originalUrl?: string }): string {
  return req.originalUrl ?? req.url ?? '';
}

/** An event still being written belongs to the request: wait for it rather than record a second one. */
async function settlePendingWrites(ctx: AuditRequestContext): Promise<void> {
  while (ctx.pendingWrites.size > 0) await Promise.all([...ctx.pendingWrites]);
}

/** Waits until the guards and interceptors have decided (bounded, for routes no interceptor sees). */
async function decisionOf(ctx: AuditRequestContext): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, DECISION_WAIT_MS);
    timer.unref();
  });
  await Promise.race([ctx.decided, timeout]);
  clearTimeout(timer);
}

/**
 * `gateway:<first path segment>:<verb>` for admin calls that matched no route declaring an action (an
 * unknown path refused before routing).
 */
export function adminActionOf(method: string, path: string): string {
  const segment = path.replace(/^\/api\/v1\//, '').split('/')[0] || 'root';
  const verb = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' }[method] ?? 'read';
  return `gateway:${segment}:${verb}`;
}

/** The `error` (machine code or convox text) of a JSON error body the gateway wrote. */
function errorTextOf(body: string, status: number): string | undefined {
  if (status < 400 || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
