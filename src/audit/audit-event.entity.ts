import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One audit event (migration 1764600000000). Written only by AuditService with SQL under the chain lock;
 * the entity documents the shape and types reads. Times are microsecond-exact (see audit-time.ts).
 */
@Entity('audit_events')
export class AuditEventEntity {
  /** Position in the hash chain; also the newest-first ordering key. */
  @PrimaryColumn({ name: 'chain_index', type: 'bigint' }) chainIndex!: string;
  @Column({ type: 'uuid', unique: true }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'request_id', type: 'text' }) requestId!: string;
  /** user | token | anonymous | system */
  @Column({ name: 'actor_type', type: 'text' }) actorType!: string;
  @Column({ name: 'actor_email', type: 'text' }) actorEmail!: string;
  @Column({ name: 'actor_user_id', type: 'text' }) actorUserId!: string;
  @Column({ name: 'token_id', type: 'text' }) tokenId!: string;
  @Column({ name: 'token_name', type: 'text' }) tokenName!: string;
  /** web | cli | api-token, or '' when nobody was authenticated. */
  @Column({ type: 'text' }) channel!: string;
  @Column({ name: 'client_ip', type: 'text' }) clientIp!: string;
  @Column({ name: 'user_agent', type: 'text' }) userAgent!: string;
  @Column({ type: 'text' }) rack!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'resource_type', type: 'text' }) resourceType!: string;
  @Column({ name: 'resource_name', type: 'text' }) resourceName!: string;
  @Column({ type: 'text' }) app!: string;
  @Column({ type: 'text' }) method!: string;
  /** Path with secret query parameters redacted. */
  @Column({ type: 'text' }) path!: string;
  @Column({ type: 'text' }) decision!: 'allow' | 'deny' | 'error';
  @Column({ type: 'text' }) rule!: string;
  /** Redacted JSON, stored as the exact text that was hashed. */
  @Column({ type: 'text' }) details!: string;
  @Column({ name: 'chain_value', type: 'bytea' }) chainValue!: Buffer;
  @Column({ type: 'integer', nullable: true }) status!: number | null;
  /** open | success | failed | denied | error | aborted */
  @Column({ type: 'text' }) result!: string;
  @Column({ name: 'latency_ms', type: 'integer', nullable: true }) latencyMs!: number | null;
  @Column({ name: 'bytes_in', type: 'bigint', nullable: true }) bytesIn!: string | null;
  @Column({ name: 'bytes_out', type: 'bigint', nullable: true }) bytesOut!: string | null;
  @Column({ name: 'outcome_details', type: 'text', nullable: true }) outcomeDetails!: string | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  /** How many identical reads were folded into this event (1 for everything else). */
  @Column({ name: 'event_count', type: 'integer' }) eventCount!: number;
  @Column({ name: 'last_at', type: 'timestamptz' }) lastAt!: Date;
  @Column({ name: 'fold_key', type: 'text', nullable: true }) foldKey!: string | null;
  @Column({ name: 'outcome_mac', type: 'bytea', nullable: true }) outcomeMac!: Buffer | null;
}
