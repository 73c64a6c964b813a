import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { AuthModule } from '../auth/auth.module';
import { RbacModule } from '../rbac/rbac.module';
import { LiveUpdatesFeed } from './live-updates.feed';
import { LiveUpdatesGateway } from './live-updates.gateway';

/** Change hints for the web console over a websocket (see LiveUpdatesGateway). */
@Module({
  imports: [AuthModule, RbacModule, AccessEventsModule],
  providers: [LiveUpdatesGateway, LiveUpdatesFeed],
})
export class LiveUpdatesModule {}
