import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../access-control/access-request';
import { AuditAction } from '../../access-control/audit-action.decorator';
import { AuthFailure } from '../../access-control/auth-failure';
import { Authenticated } from '../../access-control/authenticated.decorator';
import { BrowserPageResponses } from '../../access-control/browser-page-responses.decorator';
import { requireBrowserSession } from '../../access-control/browser-session';
import { AuditRecorder } from '../../audit/audit-recorder';
import { UsersService } from '../../users/users.service';
import {
  CliLoginDecisionDto,
  CliLoginDecisionView,
  CliLoginParams,
  CliLoginView,
} from '../dto/cli-login-approval.dto';
import type { CliLoginEntity } from './cli-login.entity';
import { CliLoginService } from './cli-login.service';

const BROWSER_ONLY = 'CLI logins are read and approved';

const REFUSALS =
  '404 `cli_login_not_found`; 410 `cli_login_expired`, `cli_login_decided` or `login_closed` (closed after wrong code verifiers)';

/**
 * The browser's side of a CLI login, for the console's approval page: the signed-in person reads which
 * device and address asked and the code the CLI printed, and approves or denies. Only a browser session
 * (the cookie, CSRF-checked on the decision) may do either: a token or CLI session approving CLI logins
 * would let one stolen credential mint others.
 */
@ApiTags('auth')
@Controller('api/v1/auth/cli/logins')
export class CliLoginApprovalController {
  constructor(
    private readonly cliLogins: CliLoginService,
    private readonly users: UsersService,
    private readonly audit: AuditRecorder,
  ) {}

  @Authenticated()
  @Get(':loginId')
  @ApiOperation({ summary: 'Read a pending CLI login (device, address, code) for its approval page' })
  @BrowserPageResponses(CliLoginView, REFUSALS, false)
  async read(@Req() req: AuthenticatedRequest, @Param() params: CliLoginParams): Promise<CliLoginView> {
    requireBrowserSession(req, BROWSER_ONLY);
    return toView(await this.cliLogins.pendingForBrowser(params.loginId));
  }

  @Authenticated()
  @AuditAction('auth:cli_login', 'cli_login')
  @Post(':loginId/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or deny a pending CLI login (browser session only)' })
  @BrowserPageResponses(CliLoginDecisionView, REFUSALS, true)
  async decide(
    @Req() req: AuthenticatedRequest,
    @Param() params: CliLoginParams,
    @Body() body: CliLoginDecisionDto,
  ): Promise<CliLoginDecisionView> {
    requireBrowserSession(req, BROWSER_ONLY);
    const user = await this.users.findById(req.principal.userId);
    if (!user) throw new AuthFailure('invalid_credentials');
    const approve = body.decision === 'approve';
    const login = await this.cliLogins.decide(params.loginId, user, approve);
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
    return { loginId: login.id, status: approve ? 'approved' : 'denied' };
  }
}

function toView(login: CliLoginEntity): CliLoginView {
  return {
    loginId: login.id,
    deviceName: login.deviceName,
    requesterIp: login.requesterIp,
    userCode: login.userCode,
    expiresAt: login.expiresAt.toISOString(),
  };
}
