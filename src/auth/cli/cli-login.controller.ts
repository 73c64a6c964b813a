import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditAction } from '../../access-control/audit-action.decorator';
import { AuditRecorder } from '../../audit/audit-recorder';
import { UsersService } from '../../users/users.service';
import { apiError } from '../../access-control/api-error';
import { AuthFailure } from '../../access-control/auth-failure';
import { AuthRateLimiter } from '../auth-rate-limiter';
import { RateLimitedException } from '../../access-control/rate-limited.exception';
import { AuthService } from '../auth.service';
import type { AuthenticatedRequest } from '../../access-control/access-request';
import { Authenticated } from '../../access-control/authenticated.decorator';
import { CsrfService } from '../csrf.service';
import { CliCompleteDto, CliDecisionDto, CliStartDto } from '../dto/cli-login.dto';
import { renderCliConfirmation, renderMessage } from '../login-pages';
import { Public } from '../../access-control/public.decorator';
import { CLI_AUTHORIZE_PATH, CliLoginService, MAX_VERIFIER_FAILURES } from './cli-login.service';

@ApiTags('auth')
@Controller('api/v1/auth/cli')
export class CliLoginController {
  constructor(
    private readonly cliLogins: CliLoginService,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly csrf: CsrfService,
    private readonly limiter: AuthRateLimiter,
    private readonly audit: AuditRecorder,
  ) {}

  @Public()
  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a CLI login (PKCE); the person approves it in a browser' })
  @ApiOkResponse({ description: '`{loginId, browserUrl, userCode, expiresAt, pollIntervalSeconds}`' })
  async start(@Req() req: Request, @Body() body: CliStartDto) {
    await this.limiter.hit('login', [`ip:${req.ip}`]);
    const started = await this.cliLogins.start(body.codeChallenge, body.deviceName, req.ip);
    return { ...started, expiresAt: started.expiresAt.toISOString() };
  }

  /** Browser: sends the person through Google login if needed, then shows the approval page. */
  @Public()
  @ApiExcludeEndpoint()
  @Get('authorize')
  async authorize(@Req() req: Request, @Res() res: Response, @Query('loginId') loginId = ''): Promise<void> {
    const login = await this.cliLogins.findPending(loginId);
    if (!login) {
      const closed = await this.cliLogins.closedByWrongVerifiers(loginId);
      res
        .status(410)
        .type('html')
        .send(
          closed
            ? renderMessage(
                'CLI login closed',
                `This login was closed after ${MAX_VERIFIER_FAILURES} wrong verification attempts: another program tried to finish it. Run the login in your terminal again.`,
              )
            : renderMessage('Login link expired', 'Run the login in your terminal again.'),
        );
      return;
    }
    const signedIn = await this.browserPrincipal(req);
    if (!signedIn) {
      const back = `${CLI_AUTHORIZE_PATH}?loginId=${encodeURIComponent(login.id)}`;
      res.redirect(302, `/api/v1/auth/web/login?returnTo=${encodeURIComponent(back)}`);
      return;
    }
    res.type('html').send(
      renderCliConfirmation({
        loginId: login.id,
        deviceName: login.deviceName,
        requesterIp: login.requesterIp,
        userCode: login.userCode,
        email: signedIn.email,
        csrfToken: this.csrf.tokenFor(signedIn.sessionId),
      }),
    );
  }

  /** The approval page's form. The guard has checked the CSRF token and Origin (cookie session). */
  @Authenticated()
  @AuditAction('auth:cli_login')
  @ApiExcludeEndpoint()
  @Post('approve')
  @HttpCode(200)
  async decide(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: CliDecisionDto) {
    const { principal } = req;
    if (principal.kind !== 'user' || principal.channel !== 'web' || req.credentialSource !== 'cookie') {
      throw apiError(
        HttpStatus.FORBIDDEN,
        'browser_session_required',
        'approve CLI logins from a browser session',
      );
    }
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AuthFailure('invalid_credentials');
    const approve = body.decision === 'approve';
    const login = await this.cliLogins.decide(body.loginId, user, approve);
    // The route's event (auth:cli_login, recorded before this ran) gets what the person decided.
    this.audit.annotate(
      {
        stage: 'browser',
        approved: approve,
        loginId: login.id,
        deviceName: login.deviceName,
        requesterIp: login.requesterIp,
      },
      req,
    );
    res
      .type('html')
      .send(
        approve
          ? renderMessage('CLI login approved', 'You can close this window and return to your terminal.')
          : renderMessage('CLI login denied', 'The terminal that asked will not be logged in.'),
      );
  }

  /** The CLI's poll: 202 while the browser leg is pending, 200 with a CLI session token exactly once. */
  @Public()
  @Post('complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Poll a CLI login; answers the CLI session token once approved' })
  @ApiOkResponse({ description: '`{token, expiresAt, email, name, roles}`' })
  @ApiAcceptedResponse({ description: '`{"status":"pending"}`' })
  async complete(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: CliCompleteDto,
  ) {
    await this.limiter.hit('cli-poll', [`ip:${req.ip}`, `login:${body.loginId}`]);
    const result = await this.cliLogins.complete(body.loginId, body.codeVerifier, {
      ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    if (result.status === 'pending') {
      res.status(HttpStatus.ACCEPTED);
      return { status: 'pending' };
    }
    const { user, session, expiresAt } = result;
    await this.audit.record({
      action: 'auth:cli_login',
      decision: 'allow',
      actorEmail: user.email,
      rule: 'verifier-matched',
      details: { stage: 'completed', loginId: body.loginId, sessionId: session.session.id },
      request: req,
    });
    return {
      token: session.token,
      expiresAt: expiresAt.toISOString(),
      email: user.email,
      name: user.name,
      roles: user.roles,
      sessionId: session.session.id,
    };
  }

  /** The browser's web session from its cookie alone (this route is public, so the guard did not run). */
  private async browserPrincipal(req: Request): Promise<{ email: string; sessionId: string } | undefined> {
    try {
      const { principal } = await this.auth.authenticate({
        headers: { cookie: req.headers.cookie, 'user-agent': req.headers['user-agent'] },
        clientIp: req.ip,
        url: req.originalUrl,
        request: req,
        credentialOptional: true,
      });
      return principal.channel === 'web' && principal.sessionId
        ? { email: principal.email, sessionId: principal.sessionId }
        : undefined;
    } catch (error) {
      // A refused or rate-limited cookie means: not logged in here; the page sends the browser to log in.
      if (error instanceof AuthFailure || error instanceof RateLimitedException) return undefined;
      throw error;
    }
  }
}
