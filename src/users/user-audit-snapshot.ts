import { Injectable } from '@nestjs/common';
import {
  AuditSnapshot,
  AuditSnapshotTarget,
  AuditState,
  stringField,
} from '../access-control/audit-snapshot';
import type { UserEntity } from './user.entity';
import { UsersService } from './users.service';

/** A user as the audit trail records it around a change: who, which roles, whether locked and why. */
export function userAuditState(user: UserEntity): AuditState {
  return {
    email: user.email,
    name: user.name,
    roles: user.roles,
    ...(user.scopedRoles?.length ? { scopedRoles: user.scopedRoles } : {}),
    locked: user.lockedAt !== null,
    lockedReason: user.lockedReason,
    lockedBy: user.lockedBy,
  };
}

/** The user a `/users/:email…` route acts on, or the one `POST /users` names in its body. */
@Injectable()
export class UserAuditSnapshot extends AuditSnapshot {
  constructor(private readonly users: UsersService) {
    super();
  }

  async snapshot(target: AuditSnapshotTarget): Promise<AuditState | null> {
    const email = target.params.email ?? stringField(target.body, 'email');
    const user = email ? await this.users.findByEmail(email) : null;
    return user ? userAuditState(user) : null;
  }
}
