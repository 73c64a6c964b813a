import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditAction, AuditChange } from '../../access-control/audit-action.decorator';
import { Authenticated } from '../../access-control/authenticated.decorator';
import { CurrentPrincipal } from '../../access-control/current-principal.decorator';
import type { Principal } from '../../access-control/principal';
import { RequirePermission } from '../../access-control/require-permission.decorator';
import { RevokedDto } from '../../tokens/dto/api-token-view.dto';
import { RevokedCountDto, SessionViewDto } from './session-view.dto';
import { SessionAdminService } from './session-admin.service';
import { SessionAuditSnapshot, UserSessionsAuditSnapshot } from './session-audit-snapshots';

@ApiTags('sessions')
@Controller('api/v1')
export class SessionsController {
  constructor(private readonly admin: SessionAdminService) {}

  @Authenticated()
  @Get('sessions')
  @ApiOperation({ summary: "List your sessions (or a user's, with gateway:session:read)" })
  @ApiOkResponse({ type: [SessionViewDto] })
  @ApiQuery({ name: 'email', required: false, description: "Another user's sessions (gateway:session:read)" })
  list(@CurrentPrincipal() principal: Principal, @Query('email') email?: string) {
    return this.admin.list(principal, email);
  }

  @Authenticated()
  @AuditAction('gateway:session:revoke', 'session')
  @AuditChange(SessionAuditSnapshot)
  @Delete('sessions/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a session' })
  @ApiOkResponse({ description: "Others' sessions need gateway:session:revoke", type: RevokedDto })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.admin.revoke(principal, id);
    return { revoked: true };
  }

  @RequirePermission('gateway:session:revoke')
  @AuditAction('gateway:session:revoke', 'user')
  @AuditChange(UserSessionsAuditSnapshot)
  @Post('users/:email/sessions/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke all of a user's sessions" })
  @ApiOkResponse({ type: RevokedCountDto })
  async revokeAll(@CurrentPrincipal() principal: Principal, @Param('email') email: string) {
    return { revoked: await this.admin.revokeAllFor(email, principal.email) };
  }
}
