import { Injectable } from '@nestjs/common';
import { AbilityFactory } from '../rbac/ability.factory';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import type { Principal } from '../access-control/principal';
import { SessionsService } from '../sessions/sessions.service';

/** Why a credential stopped holding: a stable code for the audit, words for the client. */
export type CredentialEnd =
  | 'user_deleted'
  | 'user_locked'
  | 'token_revoked'
  | 'token_expired'
  | 'session_revoked'
  | 'session_expired'
  | 'credential_unknown';

/** The principal as it stands now, or why its credential no longer holds. */
export type PrincipalRecheck = { valid: true; principal: Principal } | { valid: false; cause: CredentialEnd };

/** What a client is told in a close frame (`token revoked` …). */
export function credentialEndText(cause: CredentialEnd): string {
  return cause.replace('_', ' ');
}

/**
 * Re-reads the credential a principal was authenticated with, by id, for a long-lived connection that was
 * let in earlier (a proxied websocket). Same rules as the authentication path — revoked or expired
 * credential, locked or deleted user, token permissions bounded by the owner's roles now — but with no
 * side effects: nothing is touched, counted against a rate limit or recorded as a refused credential.
 */
@Injectable()
export class PrincipalRecheckService {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly abilities: AbilityFactory,
  ) {}

  async recheck(principal: Principal): Promise<PrincipalRecheck> {
    // The user first: deleting one removes their tokens and sessions too, and that is the better reason.
    const user = await this.users.findById(principal.userId);
    if (!user) return { valid: false, cause: 'user_deleted' };
    if (user.lockedAt) return { valid: false, cause: 'user_locked' };
    const now = Date.now();
    if (principal.tokenId) {
      const token = await this.tokens.findById(principal.tokenId);
      if (!token || token.revokedAt) return { valid: false, cause: 'token_revoked' };
      if (token.expiresAt && token.expiresAt.getTime() <= now)
        return { valid: false, cause: 'token_expired' };
      return {
        valid: true,
        principal: {
          ...principal,
          roles: [...user.roles],
          ...this.abilities.tokenGrants(token.permissions, user),
        },
      };
    }
    if (principal.sessionId) {
      const session = await this.sessions.findById(principal.sessionId);
      if (!session || session.revokedAt) {
        return {
          valid: false,
          cause: session?.revokedReason === 'expired' ? 'session_expired' : 'session_revoked',
        };
      }
      if (session.absoluteExpiresAt.getTime() <= now) return { valid: false, cause: 'session_expired' };
      return { valid: true, principal: this.auth.principalForUser(user, session.channel, session.id) };
    }
    // Every principal comes from a token or a session; anything else is not ours to keep open.
    return { valid: false, cause: 'credential_unknown' };
  }
}
