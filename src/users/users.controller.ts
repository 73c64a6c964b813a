import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '../access-control/principal';
import { AuditChange } from '../access-control/audit-action.decorator';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { CreateUserDto, ListUsersQuery, LockUserDto, UpdateUserDto } from './dto/user.dto';
import { UserViewDto } from './dto/user-view.dto';
import { UserAdminService } from './user-admin.service';
import { UserAuditSnapshot } from './user-audit-snapshot';
import { toUserView } from './user-view';
import { UsersService } from './users.service';

@ApiTags('users')
@AuditChange(UserAuditSnapshot)
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UserAdminService,
  ) {}

  @RequirePermission('gateway:user:read')
  @Get()
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: [UserViewDto] })
  async list(@Query() query: ListUsersQuery) {
    return (await this.users.list(query)).map(toUserView);
  }

  @RequirePermission('gateway:user:create')
  @Post()
  @ApiOperation({ summary: 'Create a user' })
  @ApiCreatedResponse({ type: UserViewDto })
  async create(@Body() body: CreateUserDto) {
    return toUserView(await this.users.create(body));
  }

  @RequirePermission('gateway:user:read')
  @Get(':email')
  @ApiOperation({ summary: 'Read a user' })
  @ApiOkResponse({ type: UserViewDto })
  async get(@Param('email') email: string) {
    return toUserView(await this.users.getByEmail(email));
  }

  @RequirePermission('gateway:user:update')
  @Patch(':email')
  @ApiOperation({ summary: 'Rename a user or change their roles' })
  @ApiOkResponse({ type: UserViewDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('email') email: string,
    @Body() body: UpdateUserDto,
  ) {
    return toUserView(await this.users.update(email, body, principal.email));
  }

  @RequirePermission('gateway:user:delete')
  @Delete(':email')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user' })
  @ApiNoContentResponse({ description: "Deleted; the user's sessions and tokens stop working at once" })
  async remove(@CurrentPrincipal() principal: Principal, @Param('email') email: string): Promise<void> {
    await this.users.delete(email, principal.email);
  }

  @RequirePermission('gateway:user:lock')
  @Post(':email/lock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lock a user (with a reason); their sessions and tokens stop working' })
  @ApiOkResponse({ type: UserViewDto })
  async lock(
    @CurrentPrincipal() principal: Principal,
    @Param('email') email: string,
    @Body() body: LockUserDto,
  ) {
    return toUserView(await this.admin.lock(email, body.reason, principal.email));
  }

  @RequirePermission('gateway:user:lock')
  @Post(':email/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlock a user' })
  @ApiOkResponse({ type: UserViewDto })
  async unlock(@Param('email') email: string) {
    return toUserView(await this.users.unlock(email));
  }
}
