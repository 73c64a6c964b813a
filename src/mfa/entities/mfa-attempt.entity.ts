import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Codes (TOTP and backup codes) and WebAuthn assertions are limited separately. */
export type FactorFamily = 'code' | 'webauthn';

/** One verification attempt, for the per-family limit and the lockout count. */
@Entity('mfa_attempts')
export class MfaAttemptEntity {
  @PrimaryGeneratedColumn('increment')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  family!: FactorFamily;

  @Column('boolean')
  success!: boolean;

  @Column('text')
  reason!: string;

  @Column('timestamptz', { name: 'attempted_at', default: () => 'now()' })
  attemptedAt!: Date;
}
