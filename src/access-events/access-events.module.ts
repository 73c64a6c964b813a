import { Module } from '@nestjs/common';
import { AccessChangeRelay } from './access-change-relay';
import { AccessChangeSignal } from './access-change.signal';
import { CredentialCaches } from './credential-caches';

/**
 * The bottom-layer home of the access-change signal and its relay between processes. It depends only on
 * the database layer's notification bus (global), so the services that raise changes (users, tokens,
 * sessions) and the proxy that reacts can all depend on it without depending on each other. The credential
 * caches live here too: they are kept current by the same changes.
 */
@Module({
  providers: [AccessChangeSignal, AccessChangeRelay, CredentialCaches],
  exports: [AccessChangeSignal, CredentialCaches],
})
export class AccessEventsModule {}
