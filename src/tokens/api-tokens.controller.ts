import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditAction, AuditChange } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { ApiTokenAdminService } from './api-token-admin.service';
import { CreateApiTokenDto, ListApiTokensQuery } from './dto/api-token.dto';
import { ApiTokenViewDto, CreatedApiTokenDto, RevokedDto } from './dto/api-token-view.dto';
import { TokenAuditSnapshot } from './token-audit-snapshot';

@ApiTags('api-tokens')
@AuditChange(TokenAuditSnapshot)
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly admin: ApiTokenAdminService) {}

  @Authenticated()
  @Get()
  @ApiOperation({ summary: "List your API tokens (everyone's with `all=true` and gateway:token:read)" })
  @ApiOkResponse({ type: [ApiTokenViewDto] })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiTokensQuery) {
    return this.admin.list(principal, query.all === true);
  }

  @Authenticated()
  @AuditAction('gateway:token:create')
  @Post()
  @ApiOperation({ summary: 'Create an API token' })
  @ApiCreatedResponse({
    description: 'Token metadata plus `token`, shown this once',
    type: CreatedApiTokenDto,
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto) {
    return this.admin.create(principal, body);
  }

  @Authenticated()
  @AuditAction('gateway:token:revoke', 'token')
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API token' })
  @ApiOkResponse({ description: "Others' tokens need gateway:token:revoke", type: RevokedDto })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.admin.revoke(principal, id);
    return { revoked: true };
  }
}
