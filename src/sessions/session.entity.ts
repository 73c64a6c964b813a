import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SessionChannel = 'web' | 'cli';

/** A login. The token itself is never stored: only its SHA-256, looked up through a unique index. */
@Entity('user_sessions')
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('char', { name: 'token_hash', length: 64, select: false })
  tokenHash!: string;

  @Column('text')
  channel!: SessionChannel;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_used_at' })
  lastUsedAt!: Date;

  @Column('integer', { name: 'idle_timeout_seconds' })
  idleTimeoutSeconds!: number;

  @Column('timestamptz', { name: 'absolute_expires_at' })
  absoluteExpiresAt!: Date;

  @Column('text', { name: 'ip_address', nullable: true })
  ipAddress!: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column('text', { name: 'device_name', nullable: true })
  deviceName!: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_by', nullable: true })
  revokedBy!: string | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason!: string | null;
}
