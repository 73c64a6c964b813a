import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CliApprovalStatus = 'pending' | 'approved' | 'completed' | 'denied';

/**
 * A CLI session asking to be verified by a passkey in the browser. Only the CLI knows the verifier whose
 * SHA-256 is `codeChallenge`, so whoever sees the browser URL cannot claim the verification.
 */
@Entity('mfa_cli_approvals')
export class MfaCliApprovalEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The CLI session that will be verified. */
  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('text', { name: 'code_challenge' })
  codeChallenge!: string;

  @Column('text')
  status!: CliApprovalStatus;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
