import { Injectable } from '@nestjs/common';
import { AuthService } from '../../../auth/auth.service';
import { CSRF_FORM_FIELD, CsrfService } from '../../../auth/csrf.service';
import type { AccessAttempt, AccessStep } from '../access-attempt';

/**
 * Who is calling: the credential gate, then the session or token lookup (AuthService, the one
 * authentication path). Cookie callers of state-changing requests must pass the CSRF check too (the rack
 * proxy asks a cookie caller for its CSRF token on every method, inside AuthService). Public admin routes
 * pass unasked. Sets `principal`, how the credential came and any MFA code sent inline with it.
 */
@Injectable()
export class AuthenticationStep implements AccessStep {
  readonly name = 'authentication';

  constructor(
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
  ) {}

  async check({ req, clientIp, url, declaration }: AccessAttempt): Promise<void> {
    if (declaration?.isPublic) return;
    const { principal, source, mfaCode } = await this.auth.authenticate({
      headers: req.headers,
      clientIp,
      url,
      request: req,
    });
    if (source === 'cookie' && principal.sessionId) {
      const body = req.body as Record<string, unknown> | undefined;
      this.csrf.check(req.method ?? 'GET', req.headers, principal.sessionId, body?.[CSRF_FORM_FIELD]);
    }
    req.principal = principal;
    req.credentialSource = source;
    req.inlineMfaCode = mfaCode;
  }
}
