import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MfaStatusService } from '../mfa/mfa-status.service';
import { AbilityFactory } from '../rbac/ability.factory';
import { Authenticated } from './authenticated.decorator';
import type { Principal } from './principal';
import { CurrentPrincipal } from './principal.decorator';
import { SessionsService } from './sessions/sessions.service';

@ApiTags('auth')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaStatusService,
  ) {}

  /** Who the caller is and what they may do right now (permissions expanded against the catalog). */
  @Authenticated()
  @Get()
  @ApiOkResponse({
    description:
      '`{email, name, roles, permissions, kind, channel, sessionId?, tokenId?, sessionExpiresAt?, mfa?}` (mfa: enrolled methods, verified in this session, step-up expiry)',
  })
  async me(@CurrentPrincipal() principal: Principal) {
    const session = principal.sessionId ? await this.sessions.findById(principal.sessionId) : null;
    return {
      email: principal.email,
      name: principal.name,
      roles: principal.roles,
      permissions: this.abilities.forPrincipal(principal).permissions,
      kind: principal.kind,
      channel: principal.channel,
      sessionId: principal.sessionId,
      tokenId: principal.tokenId,
      tokenName: principal.tokenName,
      sessionExpiresAt: session ? (await this.sessions.expiresAt(session)).toISOString() : undefined,
      mfa: await this.mfa.statusFor(principal),
    };
  }
}
