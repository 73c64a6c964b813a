import { Injectable } from '@nestjs/common';
import { AbilityFactory } from '../../../rbac/ability.factory';
import { AccessRefusal } from '../../access-refusal';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * An admin route's own declaration: `@RequirePermission(p)` needs the principal's ability to allow p,
 * `@Authenticated()` needs only a principal, and a route that declares neither is refused (closed by default).
 */
@Injectable()
export class RoutePermissionStep implements AccessStep {
  readonly name = 'route-permission';

  constructor(private readonly abilities: AbilityFactory) {}

  check({ req, declaration }: AccessAttempt): void {
    if (declaration?.isPublic) return;
    const principal = req.principal;
    if (!principal) throw new AccessRefusal('unauthenticated', { error: 'authentication_required' });
    const permission = declaration?.permission;
    if (permission) {
      if (this.abilities.forPrincipal(principal).can(permission)) return;
      throw new AccessRefusal(
        'missing-permission',
        { error: 'forbidden', message: `permission denied: ${permission}` },
        { permission },
      );
    }
    if (declaration?.isAuthenticated) return;
    throw new AccessRefusal('undeclared-route', {
      error: 'forbidden',
      message: 'this route declares no access rule',
    });
  }
}
