import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessEventsModule } from '../access-events/access-events.module';
import { RbacModule } from '../rbac/rbac.module';
import { UsersModule } from '../users/users.module';
import { ApiTokenAdminService } from './api-token-admin.service';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { TokenAuditSnapshot } from './token-audit-snapshot';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), UsersModule, RbacModule, AccessEventsModule],
  controllers: [ApiTokensController],
  providers: [ApiTokensService, ApiTokenAdminService, TokenAuditSnapshot],
  exports: [ApiTokensService],
})
export class TokensModule {}
