import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessEventsModule } from '../access-events/access-events.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UserAuditSnapshot } from './user-audit-snapshot';
import { UserEntity } from './user.entity';
import { UserAdminService } from './user-admin.service';
import { UsersBootstrapService } from './users-bootstrap.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), SessionsModule, AccessEventsModule],
  controllers: [UsersController],
  providers: [UsersService, UserAdminService, UsersBootstrapService, UserAuditSnapshot],
  exports: [UsersService, UserAdminService],
})
export class UsersModule {}
