import type { SessionEntity } from '../../sessions/session.entity';

export interface SessionView {
  id: string;
  channel: string;
  createdAt: string;
  lastUsedAt: string;
  /** The earlier of idle and absolute expiry, if the session stays in use. */
  expiresAt: string;
  absoluteExpiresAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  deviceName: string | null;
  current: boolean;
}

export function toSessionView(
  session: SessionEntity,
  expiresAt: Date,
  currentSessionId?: string,
): SessionView {
  return {
    id: session.id,
    channel: session.channel,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    ipAddress: session.ipAddress,
    userAgent: session.userAgent,
    deviceName: session.deviceName,
    current: session.id === currentSessionId,
  };
}
