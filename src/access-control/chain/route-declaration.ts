import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AUDIT_ACTION, AUDIT_RESOURCE_TYPE, AUDIT_SKIP } from '../audit-action.decorator';
import type { MfaLevel } from '../../rbac/mfa-levels';
import type { AccessTarget } from '../access-decision';
import { IS_AUTHENTICATED } from '../authenticated.decorator';
import { MFA_LEVEL } from '../../mfa/mfa-level.decorator';
import { IS_PUBLIC } from '../public.decorator';
import { RACK_PROXY_ROUTE } from '../rack-proxy-path';
import { REQUIRED_PERMISSION } from '../require-permission.decorator';
import type { RouteDeclaration } from './access-attempt';

/**
 * Declarations are fixed when the app is built, so each handler's is read once (eight metadata lookups on
 * handler and class were a per-request cost) and kept beside the handler function.
 */
const declared = new WeakMap<object, { controller: object; declaration: RouteDeclaration }>();

/** Reads what the handler and its controller declare (the handler's own declaration wins). */
export function routeDeclarationOf(reflector: Reflector, context: ExecutionContext): RouteDeclaration {
  const handler = context.getHandler();
  const controller = context.getClass();
  const known = declared.get(handler);
  if (known?.controller === controller) return known.declaration;
  const declaration = Object.freeze(readDeclaration(reflector, [handler, controller]));
  declared.set(handler, { controller, declaration });
  return declaration;
}

function readDeclaration(reflector: Reflector, targets: [object, object]): RouteDeclaration {
  const read = <T>(key: string) =>
    reflector.getAllAndOverride<T | undefined>(key, targets as Parameters<Reflector['getAllAndOverride']>[1]);
  return {
    isPublic: read<boolean>(IS_PUBLIC) === true,
    isAuthenticated: read<boolean>(IS_AUTHENTICATED) === true,
    permission: read<string>(REQUIRED_PERMISSION),
    auditAction: read<string>(AUDIT_ACTION),
    auditResourceType: read<string>(AUDIT_RESOURCE_TYPE),
    skipAudit: read<boolean>(AUDIT_SKIP) === true,
    mfaLevel: read<MfaLevel>(MFA_LEVEL),
    isRackProxy: read<boolean>(RACK_PROXY_ROUTE) === true,
  };
}

/**
 * What an admin call is about, for its audit event: the declared action, and what its first route
 * parameter names (`/users/:email` → the email, `/api-tokens/:id` → the declared resource type `token`).
 */
export function adminTargetOf(
  declaration: RouteDeclaration,
  params: Record<string, string | string[]> | undefined,
): AccessTarget {
  const [entry] = Object.entries(params ?? {}).filter(([name]) => name !== 'path');
  return {
    action: declaration.auditAction ?? declaration.permission,
    isPublic: declaration.isPublic || declaration.skipAudit,
    ...(entry
      ? { resourceType: declaration.auditResourceType ?? entry[0], resourceName: String(entry[1]) }
      : {}),
  };
}
