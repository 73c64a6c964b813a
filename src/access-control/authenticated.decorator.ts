import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const IS_AUTHENTICATED = 'rgw:isAuthenticated';

/** Open to any authenticated principal (user session or API token); the handler scopes what it returns. */
export const Authenticated = () =>
  applyDecorators(
    SetMetadata(IS_AUTHENTICATED, true),
    ApiBearerAuth(),
    ApiCookieAuth('rgw_session'),
    ApiUnauthorizedResponse({ description: 'No valid session or token' }),
  );
