import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditAction } from '../../access-control/audit-action.decorator';
import { AuditRecorder } from '../../audit/audit-recorder';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthRateLimiter } from '../auth-rate-limiter';
import type { AuthenticatedRequest } from '../../access-control/access-request';
import { Authenticated } from '../../access-control/authenticated.decorator';
import { CsrfService } from '../csrf.service';
import { renderLoginRefusal } from '../login-pages';
import { Public } from '../../access-control/public.decorator';
import { clearSessionCookies, setSessionCookies } from '../session-cookies';
import { SessionsService } from '../../sessions/sessions.service';
import { LoginRefused } from './id-token-verifier';
import { WebLoginService } from './web-login.service';

class LoggedOutDto {
  @ApiProperty({ description: 'False when the caller used a token (nothing to end)' }) loggedOut!: boolean;
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class WebLoginController {
  constructor(
    private readonly login: WebLoginService,
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfService,
    private readonly limiter: AuthRateLimiter,
    private readonly audit: AuditRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts Google login: 302 to the provider. `returnTo` must be a same-origin path. */
  @Public()
  @Get('web/login')
  @ApiOperation({ summary: 'Start Google sign-in (302 to the provider)' })
  @ApiFoundResponse({ description: 'Redirect to the identity provider' })
  async start(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
  ): Promise<void> {
    await this.limiter.hit('login', [`ip:${req.ip}`]);
    res.redirect(302, await this.login.authorizationUrl(req, returnTo));
  }

  /** The provider's redirect target: verifies everything, opens a web session, 302 to `returnTo`. */
  @Public()
  @ApiExcludeEndpoint()
  @Get('web/callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const { user, returnTo } = await this.login.complete(req);
      const { token, session } = await this.sessions.create(user.id, 'web', {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookies(res, this.config, token, this.csrf.tokenFor(session.id));
      await this.audit.record({
        action: 'auth:login',
        decision: 'allow',
        actorEmail: user.email,
        details: { channel: 'web', sessionId: session.id },
        request: req,
      });
      res.redirect(302, returnTo);
    } catch (error) {
      if (!(error instanceof LoginRefused)) throw error;
      await this.audit.record({
        action: 'auth:login_failed',
        decision: 'deny',
        rule: error.reason,
        actorEmail: error.email,
        details: { channel: 'web', reason: error.reason },
        request: req,
      });
      const status = error.reason === 'invalid_state' || error.reason === 'provider_error' ? 400 : 403;
      res.status(status).type('html').send(renderLoginRefusal(error.reason, error.email));
    }
  }

  /** Ends the calling session (cookie or Bearer) server-side and clears the cookies. */
  @Authenticated()
  @AuditAction('auth:logout')
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out: end the calling session and clear the cookies' })
  @ApiOkResponse({ type: LoggedOutDto })
  async logout(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ loggedOut: boolean }> {
    const { principal } = req;
    if (principal.sessionId) await this.sessions.revoke(principal.sessionId, principal.email, 'logout');
    clearSessionCookies(res, this.config);
    // Recorded before this ran by the admin interceptor (auth:logout); this adds which session ended.
    this.audit.annotate({ sessionId: principal.sessionId ?? null }, req);
    return { loggedOut: principal.sessionId !== undefined };
  }
}
