import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** `action`: an assertion that buys a single-use proof for one `always` request (MfaActionProofsService). */
export type ChallengePurpose = 'registration' | 'authentication' | 'action';

/** A WebAuthn challenge kept on the server: bound to the session that asked, single use, short-lived. */
@Entity('mfa_challenges')
export class MfaChallengeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('text')
  purpose!: ChallengePurpose;

  @Column('text')
  challenge!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
