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
  Req,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditAction, SkipAdminAudit } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { AuthenticationOptionsDto, UpdateMethodDto, VerifyDto } from './dto/mfa.dto';
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
  ) {}

  @Get()
  @ApiOperation({ summary: "Your second factors and this session's verification" })
  @ApiOkResponse({
    description: '`{required, enrolled, methods[], verified, stepUpExpiresAt?, backupCodes}`',
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

  @Post('backup-codes')
  @ApiOperation({ summary: 'Generate new backup codes' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:backup_codes_regenerate')
  regenerateBackupCodes(@CurrentPrincipal() principal: Principal) {
    return this.flow.regenerateBackupCodes(principal);
  }

  @Patch('methods/:id')
  @ApiOperation({ summary: 'Rename a second factor or make it preferred' })
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
