import { Injectable } from '@nestjs/common';
import { AuthService } from '../../../auth/auth.service';
import { CsrfService } from '../../../auth/csrf.service';
import { AccessRefusal } from '../../access-refusal';
import type { Principal } from '../../principal';
import type { AccessAttempt, AccessStep, ChainRequest } from '../access-attempt';

/** Where a console websocket sends its session's CSRF token (a browser websocket cannot set headers). */
const UPGRADE_CSRF_PARAM = 'csrf';

/**
 * Who is calling: the credential gate, then the session or token lookup (AuthService, the one
 * authentication path). Cookie callers of state-changing requests must pass the CSRF check too (the rack
 * proxy asks a cookie caller for its CSRF token on every method, inside AuthService). Public admin routes
 * pass unasked. Sets `principal`, how the credential came and any MFA code sent inline with it.
 *
 * An upgrade to one of the gateway's own websockets (the admin chain with the websocket transport: the
 * console's live updates) is opened by a browser page, and another site's page can open one with the
 * browser's cookie (websockets have no CORS). So it takes the session cookie only, and its handshake, a
 * GET, is checked like a state-changing request: this gateway's Origin and the session's CSRF token, sent
 * as `?csrf=`.
 */
@Injectable()
export class AuthenticationStep implements AccessStep {
  readonly name = 'authentication';

  constructor(
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
  ) {}

  async check({ req, clientIp, url, declaration, transport }: AccessAttempt): Promise<void> {
    if (declaration?.isPublic) return;
    const { principal, source, mfaCode } = await this.auth.authenticate({
      headers: req.headers,
      clientIp,
      url,
      request: req,
    });
    if (declaration && transport === 'websocket') {
      this.checkConsoleUpgrade(req, url, source === 'cookie' ? principal : undefined);
    } else if (source === 'cookie' && principal.sessionId) {
      this.csrf.check(req.method ?? 'GET', req.headers, principal.sessionId);
    }
    req.principal = principal;
    req.credentialSource = source;
    req.inlineMfaCode = mfaCode;
  }

  /** `cookiePrincipal`: the caller, when it came with the session cookie. */
  private checkConsoleUpgrade(req: ChainRequest, url: string, cookiePrincipal: Principal | undefined): void {
    const sessionId = cookiePrincipal?.sessionId;
    if (!sessionId) {
      throw new AccessRefusal('session-required', {
        error: 'session_required',
        message: "the console's websockets are opened with a browser session cookie, not an API token",
      });
    }
    this.csrf.checkOrigin(req.headers);
    this.csrf.checkToken({ 'x-csrf-token': queryParam(url, UPGRADE_CSRF_PARAM) }, sessionId);
  }
}

/** A query parameter of a raw request target; empty when absent or unreadable (the check then refuses). */
function queryParam(url: string, name: string): string {
  try {
    return new URL(url, 'http://localhost').searchParams.get(name) ?? '';
  } catch {
    return '';
  }
}
