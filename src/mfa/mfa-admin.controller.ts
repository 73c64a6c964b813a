import { Controller, Delete, Param } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import { AuditAction } from '../access-control/audit-action.decorator';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { UsersService } from '../users/users.service';
import { MfaMethodsService } from './mfa-methods.service';

/** Recovery by an admin: remove every factor of a user, who then enrols again at the next login. */
@ApiTags('mfa')
@Controller('api/v1/users/:email/mfa')
export class MfaAdminController {
  constructor(
    private readonly users: UsersService,
    private readonly methods: MfaMethodsService,
  ) {}

  @Delete()
  @ApiOperation({ summary: "Reset a user's second factors (they enrol again)" })
  @RequirePermission('gateway:user:update')
  @AuditAction('mfa:reset', 'user')
  async reset(@Param('email') email: string) {
    const user = await this.users.getByEmail(email);
    return this.methods.reset(user.id);
  }
}
