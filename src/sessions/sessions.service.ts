import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { AccessChangeSignal } from '../access-events/access-change.signal';
import { SettingsService } from '../settings/settings.service';
import { AuthFailure } from '../access-control/auth-failure';
import { generateSecret, hashSecret } from '../access-control/credential-secret';
import { SessionChannel, SessionEntity } from './session.entity';

export interface SessionClient {
  ip?: string | null;
  userAgent?: string | null;
  deviceName?: string | null;
}

export interface NewSession {
  /** The raw token: handed to the browser or the CLI once, never stored. */
  token: string;
  session: SessionEntity;
}

// Writing last_used_at on every request would turn every read into a write; idle timeouts are minutes or
// days, so a few seconds of slack is harmless.
const TOUCH_INTERVAL_MS = 10_000;
const USER_AGENT_MAX = 512;

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly settings: SettingsService,
    private readonly accessChanges: AccessChangeSignal,
  ) {}

  async create(userId: string, channel: SessionChannel, client: SessionClient): Promise<NewSession> {
    const token = generateSecret();
    const now = new Date();
    const timeouts = await this.timeoutsFor(channel);
    const session = this.sessions.create({
      userId,
      tokenHash: hashSecret(token),
      channel,
      createdAt: now,
      lastUsedAt: now,
      idleTimeoutSeconds: timeouts.idleSeconds,
      absoluteExpiresAt: new Date(now.getTime() + timeouts.absoluteSeconds * 1000),
      ipAddress: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      deviceName: client.deviceName ?? null,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
    });
    await this.sessions.insert(session);
    return { token, session };
  }

  /**
   * Finds the live session behind a raw token, or throws why not. Expired sessions are revoked on sight
   * so they also disappear from listings. A timeout shortened since login applies at once (shortening
   * `sessions.web_idle_timeout` ends idle sessions at their next request); a lengthened one only to new
   * sessions, so loosening a policy never revives or stretches a session granted under the stricter one.
   */
  async validate(token: string, client: SessionClient): Promise<SessionEntity> {
    const session = await this.sessions.findOne({ where: { tokenHash: hashSecret(token) } });
    if (!session) throw new AuthFailure('invalid_credentials');
    if (session.revokedAt) {
      const reason = session.revokedReason === 'expired' ? 'session_expired' : 'session_revoked';
      throw new AuthFailure(reason, session.userId);
    }
    const now = Date.now();
    const deadlines = await this.deadlinesOf(session);
    if (now >= deadlines.absolute || now >= deadlines.idle) {
      await this.revoke(session.id, null, 'expired');
      throw new AuthFailure('session_expired', session.userId);
    }
    if (now - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      session.lastUsedAt = new Date(now);
      await this.sessions.update(session.id, {
        lastUsedAt: session.lastUsedAt,
        ...(client.ip ? { ipAddress: client.ip } : {}),
        ...(client.userAgent ? { userAgent: client.userAgent.slice(0, USER_AGENT_MAX) } : {}),
      });
    }
    return session;
  }

  /** When this session ends if it stays in use: the earlier of idle and absolute expiry. */
  async expiresAt(session: SessionEntity): Promise<Date> {
    const deadlines = await this.deadlinesOf(session);
    return new Date(Math.min(deadlines.idle, deadlines.absolute));
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOne({ where: { id } });
  }

  /** Live sessions of a user, most recently used first. */
  listActive(userId: string): Promise<SessionEntity[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull() },
      order: { lastUsedAt: 'DESC' },
    });
  }

  /** Revokes one session; false when it was already revoked. `by` is the actor's email (null: the system). */
  async revoke(id: string, by: string | null, reason: string): Promise<boolean> {
    const result = await this.sessions.update(
      { id, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedBy: by, revokedReason: reason },
    );
    const revoked = (result.affected ?? 0) > 0;
    const session = revoked ? await this.findById(id) : null;
    // Live websockets opened with this session end now, not when their client lets go.
    if (session)
      await this.accessChanges.raise({ kind: 'session_revoked', sessionId: id, userId: session.userId, by });
    return revoked;
  }

  async revokeAllForUser(userId: string, by: string | null, reason: string): Promise<number> {
    const result = await this.sessions.update(
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedBy: by, revokedReason: reason },
    );
    const count = result.affected ?? 0;
    if (count > 0) await this.accessChanges.raise({ kind: 'user_sessions_revoked', userId, by });
    return count;
  }

  /** Deletes sessions that ended long enough ago that nobody needs to see them in a listing. */
  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const revoked = await this.sessions.delete({ revokedAt: LessThan(cutoff) });
    const expired = await this.sessions.delete({ absoluteExpiresAt: LessThan(cutoff) });
    return (revoked.affected ?? 0) + (expired.affected ?? 0);
  }

  private async timeoutsFor(
    channel: SessionChannel,
  ): Promise<{ idleSeconds: number; absoluteSeconds: number }> {
    const [idleSeconds, absoluteSeconds] = await Promise.all(
      channel === 'web'
        ? [this.settings.get('sessions.web_idle_timeout'), this.settings.get('sessions.web_absolute_timeout')]
        : [
            this.settings.get('sessions.cli_idle_timeout'),
            this.settings.get('sessions.cli_absolute_timeout'),
          ],
    );
    return { idleSeconds, absoluteSeconds };
  }

  /** Idle and absolute deadlines (epoch ms): the stricter of the session's own and today's settings. */
  private async deadlinesOf(session: SessionEntity): Promise<{ idle: number; absolute: number }> {
    const timeouts = await this.timeoutsFor(session.channel);
    const idleSeconds = Math.min(session.idleTimeoutSeconds, timeouts.idleSeconds);
    return {
      idle: session.lastUsedAt.getTime() + idleSeconds * 1000,
      absolute: Math.min(
        session.absoluteExpiresAt.getTime(),
        session.createdAt.getTime() + timeouts.absoluteSeconds * 1000,
      ),
    };
  }
}
