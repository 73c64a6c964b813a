import type { UserEntity } from './user.entity';

export interface UserView {
  email: string;
  name: string;
  roles: string[];
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
    roles: user.roles,
    locked: user.lockedAt !== null,
    lockedAt: user.lockedAt?.toISOString() ?? null,
    lockedReason: user.lockedReason,
    lockedBy: user.lockedBy,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
  };
}
