import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditRecorder } from '../../audit/audit-recorder';
import { AbilityFactory } from '../../rbac/ability.factory';
import { UsersService } from '../../users/users.service';
import { apiError } from '../../access-control/api-error';
import type { Principal } from '../../access-control/principal';
import { SessionView, toSessionView } from './session-view';
import { SessionsService } from '../../sessions/sessions.service';

/** Listing and revoking sessions: everyone their own, holders of gateway:session:* anyone's. */
@Injectable()
export class SessionAdminService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditRecorder,
  ) {}

  async list(principal: Principal, email?: string): Promise<SessionView[]> {
    let userId = principal.userId;
    if (email && email.toLowerCase() !== principal.email) {
      this.require(principal, 'gateway:session:read');
      userId = (await this.users.getByEmail(email)).id;
    }
    const sessions = await this.sessions.listActive(userId);
    return Promise.all(
      sessions.map(async (s) => toSessionView(s, await this.sessions.expiresAt(s), principal.sessionId)),
    );
  }

  async revoke(principal: Principal, sessionId: string): Promise<void> {
    const session = /^[0-9a-f-]{36}$/i.test(sessionId) ? await this.sessions.findById(sessionId) : null;
    if (!session) throw apiError(HttpStatus.NOT_FOUND, 'session_not_found', `no session ${sessionId}`);
    if (session.userId !== principal.userId) this.require(principal, 'gateway:session:revoke');
    await this.sessions.revoke(session.id, principal.email, 'revoked');
    // The route's own event (gateway:session:revoke, recorded before this ran) gets whose session it was.
    this.audit.annotate({ ownerId: session.userId, own: session.userId === principal.userId });
  }

  /** Ends every session of `email`, for `by` (an admin's email, or the operator running `npm run manage`). */
  async revokeAllFor(email: string, by: string): Promise<number> {
    const user = await this.users.getByEmail(email);
    const count = await this.sessions.revokeAllForUser(user.id, by, 'revoked');
    this.audit.annotate({ all: true, revoked: count });
    return count;
  }

  private require(principal: Principal, permission: string): void {
    if (!this.abilities.forPrincipal(principal).can(permission)) {
      throw apiError(HttpStatus.FORBIDDEN, 'forbidden', `permission denied: ${permission}`);
    }
  }
}
