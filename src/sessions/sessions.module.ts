import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessEventsModule } from '../access-events/access-events.module';
import { SessionEntity } from './session.entity';
import { SessionsService } from './sessions.service';

/** Session storage, shared by the login flows, the authentication path and user administration. */
@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), AccessEventsModule],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
