import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MfaStatusService } from '../mfa/mfa-status.service';
import { AbilityFactory } from '../rbac/ability.factory';
import { Authenticated } from '../access-control/authenticated.decorator';
import { capabilitiesOf, navigationFor } from './capabilities';
import { MeDto } from './me.dto';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { SessionsService } from '../sessions/sessions.service';

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
  @ApiOperation({ summary: 'Who you are, your permissions, and what the console may offer you' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    const ability = this.abilities.forPrincipal(principal);
    const session = principal.sessionId ? await this.sessions.findById(principal.sessionId) : null;
    return {
      email: principal.email,
      name: principal.name,
      roles: principal.roles,
      permissions: [...ability.permissions],
      kind: principal.kind,
      channel: principal.channel,
      sessionId: principal.sessionId,
      tokenId: principal.tokenId,
      tokenName: principal.tokenName,
      sessionExpiresAt: session ? (await this.sessions.expiresAt(session)).toISOString() : undefined,
      mfa: await this.mfa.statusFor(principal),
      capabilities: capabilitiesOf(ability),
      navigation: navigationFor(ability),
    };
  }
}
