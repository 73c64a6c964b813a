import { applyDecorators, type Type } from '@nestjs/common';
import { ApiForbiddenResponse, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';

/**
 * The documented answers of a route behind one of the console's approval pages for the CLI (its login,
 * its step-up): `ok` on success, 403 when not a browser session (and, on a decision, a failed CSRF or Origin
 * check), 404/410 with the page's `refusals` (unknown, expired, decided).
 */
export function BrowserPageResponses(
  ok: Type<unknown>,
  refusals: string,
  decision: boolean,
): MethodDecorator {
  return applyDecorators(
    ApiOkResponse({ type: ok }),
    ApiForbiddenResponse({
      description: decision
        ? '`browser_session_required`, `csrf_failed`, `origin_mismatch`'
        : '`browser_session_required`',
    }),
    ApiNotFoundResponse({ description: refusals }),
    ApiGoneResponse({ description: refusals }),
  );
}
