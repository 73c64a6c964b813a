import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { concatMap, from, Observable, switchMap } from 'rxjs';
import { accessRecordOf } from '../access-control/access-record';
import type { MaybeAuthenticatedRequest } from '../access-control/access-request';
import { isRackProxyPath } from '../access-control/rack-proxy-path';
import { AUDIT_SNAPSHOT } from '../access-control/audit-action.decorator';
import { afterOf, AuditSnapshot, AuditSnapshotTarget } from '../access-control/audit-snapshot';
import { auditContextFor } from './audit-request-context';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Global. A state-changing admin call whose route declares a permission (or `@AuditAction`) is recorded
 * before its handler runs — if the event cannot be written the call is refused with 503 — and gets its
 * outcome when the response ends. What the call is about comes from the access chain, which named it from
 * the route's declaration. The rack proxy's event is written by the chain's audit-first step; public
 * routes (login, health) and `@SkipAdminAudit` routes record their own events. A route that names an
 * `@AuditChange` snapshot gets the state of what it changes recorded too: `before` in the event's details
 * (read before the handler runs) and `after` in its outcome.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly modules: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    // The rack proxy's event is recorded by the access chain's audit-first step.
    if (isRackProxyPath(req.originalUrl)) return next.handle();
    const ctx = auditContextFor(req);
    // Named by the access chain from the route's declaration (action, and what its first parameter names).
    const { action: declared, isPublic, resourceType, resourceName } = accessRecordOf(req).target ?? {};
    const resource = { resourceType, resourceName };
    if (ctx) ctx.handlerReached = true;
    if (isPublic || !declared || !MUTATING.has(req.method)) {
      ctx?.markDecided();
      return next.handle();
    }

    const snapshot = this.snapshotFor(context);
    const target: AuditSnapshotTarget = {
      params: stringParams(req.params),
      body: req.body as unknown,
      principal: (req as MaybeAuthenticatedRequest).principal ?? undefined,
    };
    const recorded = (snapshot ? snapshot.snapshot(target) : Promise.resolve(undefined))
      .then((before) => {
        const written = this.audit.record({
          action: declared,
          decision: 'allow',
          rule: 'route-permission',
          request: req,
          ...resource,
          ...(before !== undefined ? { details: { before } } : {}),
        });
        // The write is registered with the request's context: a connection already gone settles it.
        ctx?.markDecided();
        return written;
      })
      .catch((cause: unknown) => {
        throw new HttpException(
          { error: 'audit_unavailable', message: 'audit log unavailable' },
          HttpStatus.SERVICE_UNAVAILABLE,
          { cause },
        );
      });
    return from(recorded).pipe(
      switchMap(() => next.handle()),
      // Before the answer goes out, so the outcome written when the response ends carries it.
      concatMap(async (result: unknown) => {
        if (snapshot) this.audit.annotate(await afterOf(snapshot, { ...target, result }), req);
        return result;
      }),
    );
  }

  private snapshotFor(context: ExecutionContext): AuditSnapshot | undefined {
    const type = this.reflector.getAllAndOverride<Type<AuditSnapshot> | undefined>(AUDIT_SNAPSHOT, [
      context.getHandler(),
      context.getClass(),
    ]);
    return type ? this.modules.get(type, { strict: false }) : undefined;
  }
}

function stringParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) out[name] = String(value);
  return out;
}
