import { Injectable } from '@nestjs/common';
import { SessionsService } from '../auth/sessions/sessions.service';
import type { UserEntity } from './user.entity';
import { UsersService } from './users.service';

/** Admin actions that reach beyond the users table: locking also ends every session at once. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  async lock(email: string, reason: string, by: string): Promise<UserEntity> {
    const user = await this.users.lock(email, reason, by);
    // Authentication refuses a locked user anyway; revoking also makes the sessions show as ended.
    await this.sessions.revokeAllForUser(user.id, by, 'user_locked');
    return user;
  }
}
