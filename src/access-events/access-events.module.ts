import { Module } from '@nestjs/common';
import { AccessChangeSignal } from './access-change.signal';

/**
 * The bottom-layer home of the access-change signal. It imports nothing from the gateway, so the services
 * that raise changes (users, tokens, sessions), the proxy that reacts, and a database-backed relay can all
 * depend on it without depending on each other.
 */
@Module({
  providers: [AccessChangeSignal, AccessChangeRelay],
  exports: [AccessChangeSignal],
})
export class AccessEventsModule {}
