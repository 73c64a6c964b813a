import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CliLoginStatus = 'pending' | 'approved' | 'denied' | 'completed';

/** A CLI login waiting for its browser leg. Holds only the challenge; the verifier never leaves the CLI until it polls. */
@Entity('cli_logins')
export class CliLoginEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text', { name: 'code_challenge' })
  codeChallenge!: string;

  /** Short code shown both by the CLI and on the approval page, so the person can match the two. */
  @Column('text', { name: 'user_code' })
  userCode!: string;

  @Column('text', { name: 'device_name', nullable: true })
  deviceName!: string | null;

  @Column('text', { name: 'requester_ip', nullable: true })
  requesterIp!: string | null;

  @Column('text')
  status!: CliLoginStatus;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Column('integer', { name: 'failed_attempts' })
  failedAttempts!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
