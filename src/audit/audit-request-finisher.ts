import { Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { MaybeAuthenticatedRequest } from '../auth/authenticated-request';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseOutageLog } from '../database/outage-log';
import { PROXY_PREFIX } from '../proxy/proxy-prefix';
import { matchConvoxRoute } from '../rbac/route-matcher';
import { isWebsocketUpgrade } from '../rbac/method-safety';
import { stripRackProxyPrefix } from '../rbac/rack-proxy-prefix';
import type { AuditDecision, AuditOutcome } from './audit-recorder';
import type { AuditRequestContext } from './audit-request-context';
import { AuditService } from './audit.service';
import { DeclaredRouteActions } from './declared-route-actions';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long a request cut off before its answer may still take to reach a decision (guards hitting the DB). */
const DECISION_WAIT_MS = 10_000;

/**
 * Runs when a response is over (finished, or the client went away). Events recorded during the request
 * get its outcome. A request that should have been audited but never reached an interceptor — refused by
 * a guard (401/403), or a proxied call stopped before the proxy — is recorded here, so denials land in the
 * database too.
 */
@Injectable()
export class AuditRequestFinisher {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditService,
    private readonly outage: DatabaseOutageLog,
    private readonly declared: DeclaredRouteActions,
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
    const details = {
      ...ctx.annotations,
      ...(aborted ? { aborted: true } : {}),
      ...(error ? { error } : {}),
    };
    const outcome: AuditOutcome = {
      status,
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
      const id = await this.audit.record({ ...this.fallbackEvent(ctx, status, error), request: ctx.req });
      await this.audit.complete(id, outcome);
    } catch (failure) {
      if (isDatabaseUnavailable(failure)) this.outage.report('audit outcome', failure);
      else this.logger.error({ err: failure }, 'could not finish the audit event of a request');
    }
  }

  private needsFallback(ctx: AuditRequestContext, status: number): boolean {
    const url = (ctx.req as MaybeAuthenticatedRequest).originalUrl ?? ctx.req.url ?? '';
    if (url.startsWith(PROXY_PREFIX)) return true;
    if (status === 401 || status === 403) return true;
    // A state-changing admin call whose handler ran without recording anything (ctx.route is set once
    // guards passed and an interceptor saw the route).
    return MUTATING.has(ctx.req.method ?? '') && ctx.route !== undefined && !ctx.route.isPublic;
  }

  private fallbackEvent(ctx: AuditRequestContext, status: number, error: string | undefined) {
    const req = ctx.req as MaybeAuthenticatedRequest;
    const denied = status === 401 || status === 403;
    const decision: AuditDecision = denied ? 'deny' : status >= 500 ? 'error' : 'allow';
    // Upgrade requests have no `originalUrl` (Express never saw them).
    const proxied = stripRackProxyPrefix(req.originalUrl ?? req.url ?? '');
    if (proxied !== null) {
      // A proxied call no interceptor recorded was refused by the gateway itself (guard, pipe, bad path,
      // wrong Host): a refusal, whatever its 4xx.
      const refusal: AuditDecision = status >= 500 ? 'error' : status >= 400 ? 'deny' : decision;
      const match = matchConvoxRoute(req.method, proxied.split('?')[0], isWebsocketUpgrade(req.headers));
      const resource = match?.route.resource;
      return {
        action: match?.route.permission ?? 'convox:unknown:route',
        decision: refusal,
        rule: ruleOf(status, error, match === null),
        resourceType: resource?.type,
        resourceName: resource ? match?.params[resource.param] : undefined,
      };
    }
    return {
      action: ctx.route?.action ?? this.declared.of(req) ?? adminActionOf(req.method, req.path ?? ''),
      decision,
      rule: denied ? ruleOf(status, error, false) : 'route-permission',
      resourceType: ctx.route?.resourceType,
      resourceName: ctx.route?.resourceName,
    };
  }
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

function ruleOf(status: number, error: string | undefined, unknownRoute: boolean): string {
  if (unknownRoute) return 'unknown-route';
  if (status === 401) return error && /^[a-z_]+$/.test(error) ? error : 'unauthenticated';
  if (error?.startsWith('permission denied')) return 'missing-permission';
  if (error?.startsWith('route not allowed')) return 'unknown-route';
  if (error?.startsWith('invalid')) return 'invalid-request';
  return error && /^[a-z_]+$/.test(error) ? error : `http-${status}`;
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
