import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An API token. Only the SHA-256 of `rgw_…` is kept; the string itself is shown once at creation. */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('char', { name: 'token_hash', length: 64, select: false })
  tokenHash!: string;

  @Column('text')
  name!: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId!: string;

  /** Email of whoever created it (an admin may create tokens for others; operators as `operator:<user>`). */
  @Column('text', { name: 'created_by' })
  createdBy!: string;

  /** Concrete catalog permissions, fixed at creation; at request time also bounded by the owner's roles. */
  @Column('text', { array: true })
  permissions!: string[];

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('text', { name: 'last_used_ip', nullable: true })
  lastUsedIp!: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_by', nullable: true })
  revokedBy!: string | null;
}
