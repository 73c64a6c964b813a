import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiFoundResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../access-control/access-request';
import { AuditAction, SkipAdminAudit } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import { BrowserPageResponses } from '../access-control/browser-page-responses.decorator';
import { requireBrowserSession } from '../access-control/browser-session';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { Public } from '../access-control/public.decorator';
import { AuditRecorder } from '../audit/audit-recorder';
import {
  ApproveCliApprovalDto,
  CliApprovalDecisionView,
  CliApprovalParams,
  CliApprovalStarted,
  CliApprovalView,
  CompleteCliApprovalDto,
  StartCliApprovalDto,
} from './dto/cli-approval.dto';
import {
  CLI_MFA_CONSOLE_PATH,
  MfaCliApprovalService,
  type PendingCliApproval,
} from './mfa-cli-approval.service';

const BROWSER_ONLY = 'CLI step-ups are read, approved and denied';
const REFUSALS =
  '404 `approval_not_found` (unknown, or another person’s); 410 `approval_expired` or `approval_decided`';

/**
 * A CLI step-up approved in the browser with a passkey (see MfaCliApprovalService). The CLI starts and
 * polls; the console's page (`/app/cli-mfa/:id`) reads, approves or denies, from a browser session only.
 */
@ApiTags('mfa')
@Controller('api/v1/mfa/cli-approvals')
export class MfaCliApprovalController {
  constructor(
    private readonly approvals: MfaCliApprovalService,
    private readonly audit: AuditRecorder,
  ) {}

  /** CLI: `{codeChallenge}` (base64url SHA-256 of a verifier only the CLI holds) → the page to open. */
  @Authenticated()
  @Post()
  @ApiOperation({ summary: 'Start a second-factor approval for a CLI action' })
  @ApiCreatedResponse({ type: CliApprovalStarted })
  @ApiForbiddenResponse({ description: '`cli_session_required`' })
  @SkipAdminAudit()
  start(@CurrentPrincipal() principal: Principal, @Body() body: StartCliApprovalDto) {
    return this.approvals.start(principal, body.codeChallenge);
  }

  /**
   * The link CLIs before the console opened: public, because the browser may not be signed in yet; the
   * console signs it in and comes back.
   */
  @Public()
  @Get(':id')
  @ApiOperation({ summary: "Open the console's CLI step-up page (302)" })
  @ApiFoundResponse({ description: `Redirect to ${CLI_MFA_CONSOLE_PATH}/:id` })
  openConsolePage(@Param('id') id: string, @Res() res: Response): void {
    res.redirect(302, `${CLI_MFA_CONSOLE_PATH}/${encodeURIComponent(id.slice(0, 100))}`);
  }

  @Authenticated()
  @Get(':id/details')
  @ApiOperation({ summary: 'Read a pending CLI step-up (which CLI session, when) for its approval page' })
  @BrowserPageResponses(CliApprovalView, REFUSALS, false)
  async read(@Req() req: AuthenticatedRequest, @Param() params: CliApprovalParams): Promise<CliApprovalView> {
    requireBrowserSession(req, BROWSER_ONLY);
    return toView(await this.approvals.pendingFor(req.principal, params.id), req.principal.email);
  }

  /** Browser: the WebAuthn assertion for a challenge of this browser session (its attempt is audited). */
  @Authenticated()
  @Post(':id/approve')
  @HttpCode(200)
  @SkipAdminAudit()
  @ApiOperation({ summary: 'Approve a CLI step-up with a passkey (browser session only)' })
  @BrowserPageResponses(CliApprovalDecisionView, REFUSALS, true)
  async approve(
    @Req() req: AuthenticatedRequest,
    @Param() params: CliApprovalParams,
    @Body() body: ApproveCliApprovalDto,
  ): Promise<CliApprovalDecisionView> {
    requireBrowserSession(req, BROWSER_ONLY);
    const approval = await this.approvals.approve(req.principal, params.id, body.webauthn);
    return { id: approval.id, status: 'approved' };
  }

  /** Browser: "I did not run this"; the CLI's poll then ends with `approval_denied`. */
  @Authenticated()
  @AuditAction('mfa:cli_approval_deny', 'mfa_cli_approval')
  @Post(':id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny a CLI step-up (browser session only)' })
  @BrowserPageResponses(CliApprovalDecisionView, REFUSALS, true)
  async deny(
    @Req() req: AuthenticatedRequest,
    @Param() params: CliApprovalParams,
  ): Promise<CliApprovalDecisionView> {
    requireBrowserSession(req, BROWSER_ONLY);
    const { approval, cliSession } = await this.approvals.deny(req.principal, params.id);
    // The route's event (recorded before this ran) gets which CLI session was refused.
    this.audit.annotate(
      { cliSessionId: approval.sessionId, deviceName: cliSession?.deviceName ?? null },
      req,
    );
    return { id: approval.id, status: 'denied' };
  }

  /**
   * CLI poll: 202 `{status: "pending"}` until approved, then once 200 `{status: "verified", proof,
   * proofExpiresAt}`: the session is verified, and the proof (X-MFA-Proof) covers one `always` request.
   */
  @Authenticated()
  @Post(':id/complete')
  @ApiOperation({ summary: 'Collect an approved CLI second-factor check' })
  @ApiOkResponse({ description: '`{status: "verified", proof, proofExpiresAt}` (once)' })
  @ApiAcceptedResponse({ description: '`{status: "pending"}`' })
  @ApiForbiddenResponse({ description: '`approval_denied`: the person denied it in the browser' })
  @ApiNotFoundResponse({ description: '`approval_not_found`' })
  @ApiGoneResponse({ description: '`approval_expired`' })
  @ApiConflictResponse({ description: '`approval_used`' })
  @SkipAdminAudit()
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CliApprovalParams,
    @Body() body: CompleteCliApprovalDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.approvals.complete(principal, params.id, body.codeVerifier);
    res.status(result.status === 'pending' ? 202 : 200);
    return result;
  }
}

function toView({ approval, cliSession }: PendingCliApproval, email: string): CliApprovalView {
  return {
    id: approval.id,
    status: 'pending',
    email,
    cliSession: {
      deviceName: cliSession?.deviceName ?? null,
      ipAddress: cliSession?.ipAddress ?? null,
      signedInAt: (cliSession?.createdAt ?? approval.createdAt).toISOString(),
    },
    requestedAt: approval.createdAt.toISOString(),
    expiresAt: approval.expiresAt.toISOString(),
  };
}
