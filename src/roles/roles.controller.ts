import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { AuditAction, AuditChange, SkipAdminAudit } from '../access-control/audit-action.decorator';
import { apiError } from '../access-control/api-error';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { CustomRolesService, type RoleDetail } from './custom-roles.service';
import { CreateRoleDto, PreviewRoleChangeDto, RoleNameParams, RoleView, UpdateRoleDto } from './dto/role.dto';
import { RoleAuditSnapshot } from './role-audit-snapshot';
import { type PreviewAnswer, RolePreviewService } from './role-preview.service';

const BAD_ROLE = 'An unknown permission, a pattern that matches nothing, a bad name, or a built-in role';

@ApiTags('roles')
@AuditChange(RoleAuditSnapshot)
@Controller('api/v1/roles')
export class RolesController {
  constructor(
    private readonly roles: CustomRolesService,
    private readonly previews: RolePreviewService,
  ) {}

  @RequirePermission('gateway:role:read')
  @Get()
  @ApiOperation({ summary: 'List built-in and custom roles' })
  @ApiOkResponse({ type: [RoleView], description: 'Built-in roles (read-only) then custom roles' })
  list(): RoleDetail[] {
    return this.roles.list();
  }

  @RequirePermission('gateway:role:create')
  @Post()
  @ApiOperation({ summary: 'Create a custom role' })
  @ApiCreatedResponse({ type: RoleView })
  @ApiBadRequestResponse({ description: BAD_ROLE })
  @ApiConflictResponse({ description: 'A custom role with this name exists' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateRoleDto): Promise<RoleDetail> {
    return this.roles.create(body, principal.email);
  }

  // Declared before `:name` so "preview" is never read as a role name.
  @RequirePermission('gateway:role:read')
  @SkipAdminAudit()
  @Post('preview')
  @ApiOperation({ summary: 'Preview who gains or loses which permissions with a role change' })
  @HttpCode(200)
  @ApiOkResponse({
    description: 'Users and tokens that would gain or lose permissions, and the routes involved',
  })
  @ApiBadRequestResponse({
    description: `${BAD_ROLE}; or not exactly one of role+permissions / user+bindings`,
  })
  preview(@Body() body: PreviewRoleChangeDto): Promise<PreviewAnswer> {
    const roleChange = body.role !== undefined || body.permissions !== undefined;
    const bindingChange = body.user !== undefined || body.bindings !== undefined;
    if (roleChange === bindingChange) {
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'invalid_preview',
        'give either role and permissions, or user and bindings',
      );
    }
    if (roleChange) {
      if (!body.role || !body.permissions) {
        throw apiError(HttpStatus.BAD_REQUEST, 'invalid_preview', 'a role change needs role and permissions');
      }
      return this.previews.preview({ role: body.role, permissions: body.permissions });
    }
    if (!body.user || !body.bindings) {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid_preview', 'a binding change needs user and bindings');
    }
    return this.previews.preview({ user: body.user, bindings: body.bindings });
  }

  @RequirePermission('gateway:role:read')
  @Get(':name')
  @ApiOperation({ summary: 'Read a role' })
  @ApiOkResponse({ type: RoleView })
  @ApiNotFoundResponse({ description: 'No role has this name' })
  get(@Param() params: RoleNameParams): RoleDetail {
    return this.roles.get(params.name);
  }

  @RequirePermission('gateway:role:update')
  @AuditAction('gateway:role:update', 'role')
  @Patch(':name')
  @ApiOperation({ summary: 'Change a custom role' })
  @ApiOkResponse({ type: RoleView, description: 'In force for every holder from their next request' })
  @ApiBadRequestResponse({ description: BAD_ROLE })
  @ApiNotFoundResponse({ description: 'No custom role has this name' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoleNameParams,
    @Body() body: UpdateRoleDto,
  ): Promise<RoleDetail> {
    return this.roles.update(params.name, body, principal.email);
  }

  @RequirePermission('gateway:role:delete')
  @AuditAction('gateway:role:delete', 'role')
  @Delete(':name')
  @ApiOperation({ summary: 'Delete a custom role' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'A built-in role' })
  @ApiConflictResponse({ description: 'Users still hold the role (the message lists them)' })
  async remove(@CurrentPrincipal() principal: Principal, @Param() params: RoleNameParams): Promise<void> {
    await this.roles.delete(params.name, principal.email);
  }
}
