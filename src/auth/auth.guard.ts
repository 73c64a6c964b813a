import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { MaybeAuthenticatedRequest } from './authenticated-request';
import { AuthService } from './auth.service';
import { CSRF_FORM_FIELD, CsrfService } from './csrf.service';
import { IS_PUBLIC } from './public.decorator';

/**
 * Global and closed by default: every route needs an authenticated principal unless it is `@Public()`.
 * Cookie-authenticated state-changing requests must also pass the CSRF check.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Only HTTP routes are authenticated here; other transports authenticate themselves through AuthService.
    if (context.getType() !== 'http') return false;
    const req = context.switchToHttp().getRequest<MaybeAuthenticatedRequest>();
    const { principal, source, mfaCode } = await this.auth.authenticate({
      headers: req.headers,
      clientIp: req.ip,
      url: req.originalUrl,
      request: req,
    });
    if (source === 'cookie' && principal.sessionId) {
      const body = req.body as Record<string, unknown> | undefined;
      this.csrf.check(req.method, req.headers, principal.sessionId, body?.[CSRF_FORM_FIELD]);
    }
    req.principal = principal;
    req.credentialSource = source;
    req.inlineMfaCode = mfaCode;
    return true;
  }
}
