import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A single-use proof that a person verified with a passkey for one `always` action: bound to the session
 * that made the assertion, stored as SHA-256 only, consumed (deleted) by the first request that presents it.
 */
@Entity('mfa_action_proofs')
export class MfaActionProofEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('char', { name: 'proof_hash', length: 64, select: false })
  proofHash!: string;

  /** The passkey that made the assertion (null when it came through a CLI approval in the browser). */
  @Column('uuid', { name: 'method_id', nullable: true })
  methodId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
