import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditAction, SkipAdminAudit } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import {
  ActionProofDto,
  AuthenticationOptionsDto,
  SetPreferredMethodDto,
  UpdateMethodDto,
  VerifyDto,
} from './dto/mfa.dto';
import { AuditRecorder } from '../audit/audit-recorder';
import { RequireMfaLevel } from './mfa-level.decorator';
import { MfaMethodsService } from './mfa-methods.service';
import { MfaStatusService } from './mfa-status.service';
import { MfaFlowService } from './mfa-flow.service';

/** The caller's own MFA: status, verification, factors. Reachable before the login challenge. */
@ApiTags('mfa')
@Controller('api/v1/mfa')
@Authenticated()
export class MfaController {
  constructor(
    private readonly status: MfaStatusService,
    private readonly methods: MfaMethodsService,
    private readonly flow: MfaFlowService,
    private readonly audit: AuditRecorder,
  ) {}

  @Get()
  @ApiOperation({ summary: "Your second factors and this session's verification" })
  @ApiOkResponse({
    description:
      '`{required, enrolled, methods[] (each with `preferred`), preferredMethodId?, preferredMethod?, verified, stepUpExpiresAt?, stepUpWindowSeconds, backupCodes}`',
  })
  get(@CurrentPrincipal() principal: Principal) {
    return this.status.statusFor(principal);
  }

  /** A TOTP/backup code or a WebAuthn assertion; opens the step-up window and may trust this browser. */
  @Post('verify')
  @ApiOperation({ summary: 'Verify a second factor for this session' })
  @HttpCode(200)
  @SkipAdminAudit()
  verify(
    @CurrentPrincipal() principal: Principal,
    @Body() body: VerifyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.flow.verify(principal, body, req, res);
  }

  @Post('webauthn/authentication-options')
  @ApiOperation({ summary: 'Options to verify with a passkey' })
  @HttpCode(200)
  @SkipAdminAudit()
  authenticationOptions(@CurrentPrincipal() principal: Principal, @Body() body: AuthenticationOptionsDto) {
    return this.flow.authenticationOptions(principal, body.cliOnly === true);
  }

  /**
   * A passkey for one `always` action: ask for options here, sign, then POST the assertion to
   * `webauthn/action-proofs` and send the proof back as `X-MFA-Proof` on the action itself.
   */
  @Post('webauthn/action-options')
  @ApiOperation({ summary: 'Options to approve one always-level action with a passkey' })
  @HttpCode(200)
  @SkipAdminAudit()
  actionOptions(@CurrentPrincipal() principal: Principal, @Body() body: AuthenticationOptionsDto) {
    return this.flow.actionOptions(principal, body.cliOnly === true);
  }

  @Post('webauthn/action-proofs')
  @ApiOperation({
    summary: 'Exchange a passkey assertion for a single-use proof (two minutes, this session)',
  })
  @ApiOkResponse({
    description:
      '`{proof, expiresAt, stepUpExpiresAt}`: send `X-MFA-Proof: <proof>` with the one action it is for',
  })
  @HttpCode(200)
  @SkipAdminAudit()
  actionProof(@CurrentPrincipal() principal: Principal, @Body() body: ActionProofDto) {
    return this.flow.actionProof(principal, body.webauthn);
  }

  @Put('preferred-method')
  @ApiOperation({ summary: 'Choose the method your challenges open on' })
  @ApiOkResponse({ description: 'The method now preferred' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:preferred_method_set')
  async setPreferredMethod(@CurrentPrincipal() principal: Principal, @Body() body: SetPreferredMethodDto) {
    const { before, after } = await this.methods.setPreferred(principal.userId, body.methodId);
    this.audit.annotate({ before: { preferredMethodId: before }, after: { preferredMethodId: after.id } });
    return after;
  }

  @Post('backup-codes')
  @ApiOperation({ summary: 'Generate new backup codes' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:backup_codes_regenerate')
  regenerateBackupCodes(@CurrentPrincipal() principal: Principal) {
    return this.flow.regenerateBackupCodes(principal);
  }

  @Patch('methods/:id')
  @ApiOperation({ summary: 'Rename a second factor or change where it may be used' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:method_update', 'mfa_method')
  updateMethod(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateMethodDto,
  ) {
    return this.methods.update(principal.userId, id, body);
  }

  @Delete('methods/:id')
  @ApiOperation({ summary: 'Remove a second factor' })
  @RequireMfaLevel('always')
  @AuditAction('mfa:method_remove', 'mfa_method')
  removeMethod(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.methods.remove(principal.userId, id);
  }
}
