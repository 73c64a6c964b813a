import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const REQUIRED_PERMISSION = 'rgw:requiredPermission';

/**
 * The one statement of a route's permission (a `scope:resource:action` from the permission catalog; the
 * gateway refuses to boot when a route names one the catalog does not know, see RouteDeclarationCheck): metadata for the global PermissionGuard, plus the OpenAPI
 * security and the documented 401/403, so the API description cannot drift from what is enforced.
 */
export const RequirePermission = (permission: string) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiBearerAuth(),
    ApiCookieAuth('rgw_session'),
    ApiUnauthorizedResponse({ description: 'No valid session or token' }),
    ApiForbiddenResponse({ description: `Requires ${permission}` }),
  );
