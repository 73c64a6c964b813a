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
import type { MaybeAuthenticatedRequest } from '../auth/authenticated-request';
import { IS_PUBLIC } from '../auth/public.decorator';
import { REQUIRED_PERMISSION } from '../auth/require-permission.decorator';
import { PROXY_PREFIX } from '../proxy/proxy-prefix';
import { AUDIT_ACTION, AUDIT_RESOURCE_TYPE, AUDIT_SKIP, AUDIT_SNAPSHOT } from './audit-action.decorator';
import { afterOf, AuditSnapshot, AuditSnapshotTarget } from './audit-snapshot';
import { auditContextFor } from './audit-request-context';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Global. A state-changing admin call whose route declares a permission (or `@AuditAction`) is recorded
 * before its handler runs — if the event cannot be written the call is refused with 503 — and gets its
 * outcome when the response ends. Other routes only have their declaration noted, so the request finisher
 * can name the action if the call is denied or changes something without recording it. The rack proxy
 * has its own interceptor; public routes (login, health) record their own events. A route that names an
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
    // The rack proxy's own interceptor records (and marks the decision) after this one.
    if (req.originalUrl.startsWith(PROXY_PREFIX)) return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
    const declared =
      this.reflector.getAllAndOverride<string>(AUDIT_ACTION, targets) ??
      this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets);
    const skip = this.reflector.getAllAndOverride<boolean>(AUDIT_SKIP, targets) === true;
    const ctx = auditContextFor(req);
    const resource = resourceOf(
      req.params,
      this.reflector.getAllAndOverride<string>(AUDIT_RESOURCE_TYPE, targets),
    );
    if (ctx) ctx.route = { action: declared, isPublic: isPublic || skip, ...resource };
    if (isPublic || skip || !declared || !MUTATING.has(req.method)) {
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

/**
 * The first route parameter names what was acted on (`/users/:email` → email, `/api-tokens/:id` → the
 * declared resource type, `token`, or else the parameter's name).
 */
function resourceOf(
  params: Record<string, string | string[]> | undefined,
  declaredType: string | undefined,
): { resourceType?: string; resourceName?: string } {
  const [entry] = Object.entries(params ?? {}).filter(([name]) => name !== 'path');
  return entry ? { resourceType: declaredType ?? entry[0], resourceName: String(entry[1]) } : {};
}
