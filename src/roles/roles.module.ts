import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccessEventsModule } from '../access-events/access-events.module';
import { AccessModule } from '../access/access.module';
import { AdminRouteCatalog } from '../rbac/admin-routes';
import { RoleDirectory } from '../rbac/role-directory.service';
import { CustomRolesService } from './custom-roles.service';
import { RoleAuditSnapshot } from './role-audit-snapshot';
import { RolePreviewService } from './role-preview.service';
import { RolesController } from './roles.controller';

/**
 * Roles as data. Global because permissions are derived from roles on every request, by the auth path,
 * the ability factory and the users service alike: they all read the one RoleDirectory.
 */
@Global()
@Module({
  imports: [DiscoveryModule, AccessEventsModule, AccessModule],
  controllers: [RolesController],
  providers: [RoleDirectory, CustomRolesService, RolePreviewService, RoleAuditSnapshot, AdminRouteCatalog],
  exports: [RoleDirectory],
})
export class RolesModule {}
