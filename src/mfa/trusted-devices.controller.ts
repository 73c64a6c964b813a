import { Controller, Delete, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import { AuditAction } from '../access-control/audit-action.decorator';
import { Authenticated } from '../access-control/authenticated.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { RequireMfaLevel } from './mfa-level.decorator';
import { TrustedDevicesService } from './trusted-devices.service';

/** The caller's trusted browsers: list, revoke one, revoke all. */
@ApiTags('mfa')
@Controller('api/v1/mfa/trusted-devices')
@Authenticated()
export class TrustedDevicesController {
  constructor(private readonly devices: TrustedDevicesService) {}

  @Get()
  @ApiOperation({ summary: 'List your trusted devices' })
  async list(@CurrentPrincipal() principal: Principal) {
    const devices = await this.devices.listLive(principal.userId);
    return devices.map((d) => ({
      id: d.id,
      label: d.label,
      createdAt: d.createdAt.toISOString(),
      expiresAt: d.expiresAt.toISOString(),
      lastUsedAt: d.lastUsedAt?.toISOString(),
    }));
  }

  @Delete()
  @ApiOperation({ summary: 'Forget every trusted device' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:trusted_devices_revoke_all')
  async revokeAll(@CurrentPrincipal() principal: Principal) {
    return { revoked: await this.devices.revokeAll(principal.userId, 'user_request') };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Forget a trusted device' })
  @RequireMfaLevel('step_up')
  @AuditAction('mfa:trusted_device_revoke', 'trusted_device')
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return { revoked: await this.devices.revoke(principal.userId, id, 'user_request') };
  }
}
