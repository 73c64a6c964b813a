import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a session has proven: `verifiedAt` — the login challenge was passed (or a trusted device skipped it);
 * `stepUpAt` — the last fresh verification, which opens the step-up window. A trusted device never sets it.
 */
@Entity('mfa_session_states')
export class MfaSessionStateEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column('timestamptz', { name: 'verified_at', nullable: true })
  verifiedAt!: Date | null;

  @Column('timestamptz', { name: 'step_up_at', nullable: true })
  stepUpAt!: Date | null;

  @Column('uuid', { name: 'trusted_device_id', nullable: true })
  trustedDeviceId!: string | null;
}
