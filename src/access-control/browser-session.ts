import { HttpStatus } from '@nestjs/common';
import type { AuthenticatedRequest } from './access-request';
import { apiError } from './api-error';

/**
 * Throws 403 `browser_session_required` unless the caller is a person's browser session (the cookie, so
 * CSRF-checked on state changes). The approval pages of the CLI's login and step-up use it: a token or a
 * CLI session approving them would let one stolen credential vouch for another.
 */
export function requireBrowserSession(req: AuthenticatedRequest, what: string): void {
  const { principal } = req;
  if (principal.kind !== 'user' || principal.channel !== 'web' || req.credentialSource !== 'cookie') {
    throw apiError(
      HttpStatus.FORBIDDEN,
      'browser_session_required',
      `${what} from a browser session (the console), not with a token or CLI session`,
    );
  }
}
