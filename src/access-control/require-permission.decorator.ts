import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from '../rbac/permission-catalog';

export const REQUIRED_PERMISSION = 'rgw:requiredPermission';

/**
 * The one statement of a route's permission: metadata for the global PermissionGuard, plus the OpenAPI
 * security and the documented 401/403, so the API description cannot drift from what is enforced.
 */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiBearerAuth(),
    ApiCookieAuth('rgw_session'),
    ApiUnauthorizedResponse({ description: 'No valid session or token' }),
    ApiForbiddenResponse({ description: `Requires ${permission}` }),
  );
