import { Injectable } from '@nestjs/common';
import { AbilityFactory } from '../rbac/ability.factory';
import { permissionsForRoles } from '../rbac/roles';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import type { Principal } from './principal';
import { SessionsService } from './sessions/sessions.service';

/** The principal as it stands now, or why its credential no longer holds (words for a close frame). */
export type PrincipalRecheck = { valid: true; principal: Principal } | { valid: false; reason: string };

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
    if (!user) return { valid: false, reason: 'user deleted' };
    if (user.lockedAt) return { valid: false, reason: 'user locked' };
    const now = Date.now();
    if (principal.tokenId) {
      const token = await this.tokens.findById(principal.tokenId);
      if (!token || token.revokedAt) return { valid: false, reason: 'token revoked' };
      if (token.expiresAt && token.expiresAt.getTime() <= now)
        return { valid: false, reason: 'token expired' };
      return {
        valid: true,
        principal: {
          ...principal,
          roles: [...user.roles],
          permissions: this.abilities.effectiveTokenPermissions(
            token.permissions,
            permissionsForRoles(user.roles),
          ),
        },
      };
    }
    if (principal.sessionId) {
      const session = await this.sessions.findById(principal.sessionId);
      if (!session || session.revokedAt) {
        return {
          valid: false,
          reason: session?.revokedReason === 'expired' ? 'session expired' : 'session revoked',
        };
      }
      if (session.absoluteExpiresAt.getTime() <= now) return { valid: false, reason: 'session expired' };
      return { valid: true, principal: this.auth.principalForUser(user, session.channel, session.id) };
    }
    // Every principal comes from a token or a session; anything else is not ours to keep open.
    return { valid: false, reason: 'credential unknown' };
  }
}
