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
import { AppParams, AppSettingParams, WriteSettingDto } from './dto/setting.dto';
import { SettingAuditSnapshot } from './setting-audit-snapshot';
import { SettingView, toSettingView } from './setting-view';
import { SettingsService } from './settings.service';

const WRONG_VALUE =
  'An invalid app name, a value that breaks the setting’s rule (the message names the key and the rule), or a global setting';

/** Settings of one Convox app. The app need not exist on the rack yet: policy can be set before a first deploy. */
@ApiTags('settings')
@Controller('api/v1/apps/:app/settings')
export class AppSettingsController {
  constructor(private readonly settings: SettingsService) {}

  @RequirePermission('gateway:settings:read')
  @Get()
  @ApiOperation({ summary: "List an app's settings with their values and sources" })
  @ApiOkResponse({
    type: [SettingView],
    description: 'Every per-app setting of the app with its effective value and source',
  })
  @ApiBadRequestResponse({ description: 'An invalid app name' })
  async list(@Param() params: AppParams): Promise<SettingView[]> {
    return (await this.settings.list(params.app)).map(toSettingView);
  }

  @RequirePermission('gateway:settings:read')
  @Get(':key')
  @ApiOperation({ summary: 'Read an app setting' })
  @ApiOkResponse({ type: SettingView })
  @ApiBadRequestResponse({ description: 'An invalid app name, or a global setting' })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  async read(@Param() params: AppSettingParams): Promise<SettingView> {
    return toSettingView(await this.settings.read(params.key, params.app));
  }

  @RequirePermission('gateway:settings:update')
  @AuditAction('gateway:settings:update')
  @AuditChange(SettingAuditSnapshot)
  @Put(':key')
  @ApiOperation({ summary: 'Change an app setting' })
  @ApiOkResponse({
    type: SettingView,
    description: 'The setting after the change; in force at once in every gateway process',
  })
  @ApiBadRequestResponse({ description: WRONG_VALUE })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  async set(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AppSettingParams,
    @Body() body: WriteSettingDto,
  ): Promise<SettingView> {
    const { after } = await this.settings.set(params.key, body.value, principal.email, params.app);
    return toSettingView(after);
  }

  @RequirePermission('gateway:settings:update')
  @AuditAction('gateway:settings:update')
  @AuditChange(SettingAuditSnapshot)
  @Delete(':key')
  @ApiOperation({ summary: 'Reset an app setting to the global value' })
  @ApiOkResponse({
    type: SettingView,
    description: 'The stored value is gone; the setting falls back to its environment variable or default',
  })
  @ApiBadRequestResponse({ description: 'An invalid app name, or a global setting' })
  @ApiNotFoundResponse({ description: 'No setting has this key' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AppSettingParams,
  ): Promise<SettingView> {
    const { after } = await this.settings.remove(params.key, principal.email, params.app);
    return toSettingView(after);
  }
}
