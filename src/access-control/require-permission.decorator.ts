import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const REQUIRED_PERMISSION = 'rgw:requiredPermission';

/**
 * The one statement of a route's permission: metadata for the access chain's route-permission step, plus
 * the OpenAPI security and the documented 401/403, so the API description cannot drift from what is
 * enforced. The permission is a `scope:resource:action` of the catalog (src/rbac/permission-catalog.ts); the
 * gateway refuses to boot when a route names one the catalog does not know (RouteDeclarationCheck), since
 * this bottom layer cannot import the catalog's type.
 */
export const RequirePermission = (permission: string) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiBearerAuth(),
    ApiCookieAuth('rgw_session'),
    ApiUnauthorizedResponse({ description: 'No valid session or token' }),
    ApiForbiddenResponse({ description: `Requires ${permission}` }),
  );
