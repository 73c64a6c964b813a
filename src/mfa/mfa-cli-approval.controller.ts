import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { apiError } from '../access-control/api-error';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { SkipAdminAudit } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { Public } from '../access-control/public.decorator';
import { CLI_APPROVAL_SCRIPT, renderCliApprovalPage } from './cli-approval-page';
import { CompleteCliApprovalDto, StartCliApprovalDto, VerifyDto } from './dto/mfa.dto';
import { MfaCliApprovalService } from './mfa-cli-approval.service';

/** A CLI step-up approved in the browser with a passkey (see MfaCliApprovalService). */
@ApiTags('mfa')
@Controller('api/v1/mfa/cli-approvals')
export class MfaCliApprovalController {
  constructor(private readonly approvals: MfaCliApprovalService) {}

  @Public()
  @Get('approval.js')
  @ApiOperation({ summary: 'Script of the CLI approval page' })
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return CLI_APPROVAL_SCRIPT;
  }

  /** CLI: `{codeChallenge}` (base64url SHA-256 of a verifier only the CLI holds) → the page to open. */
  @Authenticated()
  @Post()
  @ApiOperation({ summary: 'Start a second-factor approval for a CLI action' })
  @SkipAdminAudit()
  start(@CurrentPrincipal() principal: Principal, @Body() body: StartCliApprovalDto) {
    return this.approvals.start(principal, body.codeChallenge);
  }

  /** Browser (session cookie): the approval page. */
  @Authenticated()
  @Get(':id')
  @ApiOperation({ summary: 'Read a CLI second-factor approval' })
  async page(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.approvals.pendingFor(principal, id);
    res.type('html').send(renderCliApprovalPage(id, principal.email));
  }

  /** Browser: the WebAuthn assertion for a challenge of this browser session. */
  @Authenticated()
  @Post(':id/approve')
  @ApiOperation({ summary: 'Approve a CLI action with a second factor' })
  @HttpCode(200)
  @SkipAdminAudit()
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: VerifyDto,
  ) {
    if (!body.webauthn)
      throw apiError(HttpStatus.BAD_REQUEST, 'webauthn_required', 'send the passkey assertion as `webauthn`');
    await this.approvals.approve(principal, id, body.webauthn);
    return { approved: true };
  }

  /**
   * CLI poll: 202 `{status: "pending"}` until approved, then once 200 `{status: "verified", proof,
   * proofExpiresAt}`: the session is verified, and the proof (X-MFA-Proof) covers one `always` request.
   */
  @Authenticated()
  @Post(':id/complete')
  @ApiOperation({ summary: 'Collect an approved CLI second-factor check' })
  @SkipAdminAudit()
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteCliApprovalDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.approvals.complete(principal, id, body.codeVerifier);
    res.status(result.status === 'pending' ? 202 : 200);
    return result;
  }
}
