import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import { AuditAction } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { ConfirmTotpDto, RegisterWebauthnDto, StartTotpDto } from './dto/mfa.dto';
import { RequireMfaLevel } from './mfa-level.decorator';
import { MfaFlowService } from './mfa-flow.service';

/**
 * Adding a factor. The first one needs only the session; once a person has a factor, adding another needs a
 * recent verification (step_up), so a session that never passed MFA cannot slip in a factor of its own.
 */
@ApiTags('mfa')
@Controller('api/v1/mfa')
@Authenticated()
@RequireMfaLevel('step_up')
export class MfaEnrolmentController {
  constructor(private readonly flow: MfaFlowService) {}

  /** Returns the secret, the otpauth:// URI and a QR code (PNG data URL); confirm with a code next. */
  @Post('totp')
  @ApiOperation({ summary: 'Start enrolling an authenticator app (TOTP)' })
  @AuditAction('mfa:enroll_totp_start')
  startTotp(@CurrentPrincipal() principal: Principal, @Body() body: StartTotpDto) {
    return this.flow.startTotp(principal, body.label);
  }

  @Post('totp/:id/confirm')
  @ApiOperation({ summary: 'Confirm an authenticator app with a first code' })
  @HttpCode(200)
  @AuditAction('mfa:enroll_totp', 'mfa_method')
  confirmTotp(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ConfirmTotpDto,
  ) {
    return this.flow.confirmTotp(principal, id, body.code);
  }

  @Post('webauthn/registration-options')
  @ApiOperation({ summary: 'Options to register a passkey' })
  @HttpCode(200)
  @AuditAction('mfa:enroll_webauthn_start')
  registrationOptions(@CurrentPrincipal() principal: Principal) {
    return this.flow.webauthnRegistrationOptions(principal);
  }

  @Post('webauthn/registrations')
  @ApiOperation({ summary: 'Register a passkey' })
  @AuditAction('mfa:enroll_webauthn')
  registerWebauthn(@CurrentPrincipal() principal: Principal, @Body() body: RegisterWebauthnDto) {
    return this.flow.registerWebauthn(principal, body);
  }
}
