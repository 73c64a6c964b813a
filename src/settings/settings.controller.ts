import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditChange } from '../access-control/audit-action.decorator';
import type { Principal } from '../access-control/principal';
import { CurrentPrincipal } from '../access-control/current-principal.decorator';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { GlobalSettingParams, WriteSettingDto } from './dto/setting.dto';
import { SettingAuditSnapshot } from './setting-audit-snapshot';
import { SettingView, toSettingView } from './setting-view';
import { SettingsService } from './settings.service';

const WRONG_VALUE =
  'A value that breaks the setting’s rule (the message names the key and the rule), or an app setting';

@ApiTags('settings')
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @RequirePermission('gateway:settings:read')
  @Get()
  @ApiOperation({ summary: 'List the global settings with their values and sources' })
  @ApiOkResponse({
    type: [SettingView],
    description: 'Every global setting with its effective value and source',
  })
  async list(): Promise<SettingView[]> {
    return (await this.settings.list()).map(toSettingView);
  }

  @RequirePermission('gateway:settings:read')
  @Get(':key')
  @ApiOperation({ summary: 'Read a global setting' })
  @ApiOkResponse({ type: SettingView })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  @ApiBadRequestResponse({ description: 'The key is a per-app setting' })
  async read(@Param() params: GlobalSettingParams): Promise<SettingView> {
    return toSettingView(await this.settings.read(params.key));
  }

  @RequirePermission('gateway:settings:update')
  @AuditAction('gateway:settings:update', 'setting')
  @AuditChange(SettingAuditSnapshot)
  @Put(':key')
  @ApiOperation({ summary: 'Change a global setting (stored in the database)' })
  @ApiOkResponse({
    type: SettingView,
    description: 'The setting after the change; in force at once in every gateway process',
  })
  @ApiBadRequestResponse({ description: WRONG_VALUE })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  async set(
    @CurrentPrincipal() principal: Principal,
    @Param() params: GlobalSettingParams,
    @Body() body: WriteSettingDto,
  ): Promise<SettingView> {
    const { after } = await this.settings.set(params.key, body.value, principal.email);
    return toSettingView(after);
  }

  @RequirePermission('gateway:settings:update')
  @AuditAction('gateway:settings:update', 'setting')
  @AuditChange(SettingAuditSnapshot)
  @Delete(':key')
  @ApiOperation({ summary: 'Reset a global setting to its environment or default value' })
  @ApiOkResponse({
    type: SettingView,
    description: 'The stored value is gone; the setting falls back to its environment variable or default',
  })
  @ApiBadRequestResponse({ description: 'The key is a per-app setting' })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param() params: GlobalSettingParams,
  ): Promise<SettingView> {
    const { after } = await this.settings.remove(params.key, principal.email);
    return toSettingView(after);
  }
}
