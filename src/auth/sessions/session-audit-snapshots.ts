import { Injectable } from '@nestjs/common';
import {
  AuditSnapshot,
  AuditSnapshotTarget,
  AuditState,
  isoOrNull,
  uuidOrUndefined,
} from '../../access-control/audit-snapshot';
import { UsersService } from '../../users/users.service';
import { SessionsService } from '../../sessions/sessions.service';

/** One session as the audit trail records it around a revocation: whose, where from, whether ended. */
@Injectable()
export class SessionAuditSnapshot extends AuditSnapshot {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const id = uuidOrUndefined(target.params.id);
    const session = id ? await this.sessions.findById(id) : null;
    if (!session) return null;
    const owner = await this.users.findById(session.userId);
    return {
      sessionId: session.id,
      owner: owner?.email ?? null,
      channel: session.channel,
      createdAt: isoOrNull(session.createdAt),
      ipAddress: session.ipAddress,
      deviceName: session.deviceName,
      revokedAt: isoOrNull(session.revokedAt),
      revokedBy: session.revokedBy,
      revokedReason: session.revokedReason,
    };
  }
}

const LISTED_SESSIONS_LIMIT = 50;

/** Every live session of the user `/users/:email/sessions/revoke` names: which ones the call ends. */
@Injectable()
export class UserSessionsAuditSnapshot extends AuditSnapshot {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const user = target.params.email ? await this.users.findByEmail(target.params.email) : null;
    if (!user) return null;
    const active = await this.sessions.listActive(user.id);
    // Bounded so the stored details stay whole JSON however many sessions a user has.
    const ids = active.map((session) => session.id).sort();
    return {
      owner: user.email,
      activeSessions: ids.length,
      activeSessionIds: ids.slice(0, LISTED_SESSIONS_LIMIT),
    };
  }
}
