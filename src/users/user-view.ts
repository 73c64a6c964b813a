import { bindingsOf, type RoleBinding } from '../rbac/role-binding';
import type { UserEntity } from './user.entity';

export interface UserView {
  email: string;
  name: string;
  /** Every role the user holds, scoped or not (compatibility: `bindings` says where each holds). */
  roles: string[];
  bindings: RoleBinding[];
  locked: boolean;
  lockedAt: string | null;
  lockedReason: string | null;
  lockedBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
}

export function toUserView(user: UserEntity): UserView {
  return {
    email: user.email,
    name: user.name,
    roles: [...new Set([...user.roles, ...(user.scopedRoles ?? []).map((b) => b.role)])].sort(),
    bindings: bindingsOf(user),
    locked: user.lockedAt !== null,
    lockedAt: user.lockedAt?.toISOString() ?? null,
    lockedReason: user.lockedReason,
    lockedBy: user.lockedBy,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
  };
}
