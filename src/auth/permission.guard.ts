import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AbilityFactory } from '../rbac/ability.factory';
import { apiError } from './auth-failure';
import type { MaybeAuthenticatedRequest } from './authenticated-request';
import { IS_AUTHENTICATED } from './authenticated.decorator';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_PERMISSION } from './require-permission.decorator';

/**
 * Runs after AuthGuard. A route with `@RequirePermission(p)` needs the principal's ability to allow `p`;
 * `@Authenticated()` needs only a principal; a route that declares neither is refused (closed by default).
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const principal = context.switchToHttp().getRequest<MaybeAuthenticatedRequest>().principal;
    if (!principal) return false;
    const permission = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_PERMISSION, targets);
    if (permission) {
      if (this.abilities.forPrincipal(principal).can(permission)) return true;
      throw apiError(HttpStatus.FORBIDDEN, 'forbidden', `permission denied: ${permission}`);
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_AUTHENTICATED, targets)) return true;
    throw apiError(HttpStatus.FORBIDDEN, 'forbidden', 'this route declares no access rule');
  }
}
