import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRecorder } from '../../audit/audit-recorder';
import { AuthRateLimiter } from '../auth-rate-limiter';
import { CliCompleteDto, CliStartDto } from '../dto/cli-login.dto';
import { Public } from '../../access-control/public.decorator';
import { CLI_CONSOLE_PATH, CliLoginService } from './cli-login.service';

/** The CLI's side of a CLI login; the browser's side is CliLoginApprovalController. */
@ApiTags('auth')
@Controller('api/v1/auth/cli')
export class CliLoginController {
  constructor(
    private readonly cliLogins: CliLoginService,
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

  /**
   * The link the CLI prints (older CLIs too): the approval page is the console's, which signs the person
   * in first when needed and comes back. Whether the login can still be approved, and whether `loginId`
   * is one at all, is the page's question (its API validates the id), so a link never answers a bare error.
   */
  @Public()
  @Get('authorize')
  @ApiOperation({ summary: "Open the console's CLI login approval page (302)" })
  @ApiFoundResponse({ description: `Redirect to ${CLI_CONSOLE_PATH}?loginId=…` })
  authorize(@Res() res: Response, @Query('loginId') loginId: unknown): void {
    const id = typeof loginId === 'string' ? loginId.slice(0, 100) : '';
    res.redirect(302, `${CLI_CONSOLE_PATH}?loginId=${encodeURIComponent(id)}`);
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
}
