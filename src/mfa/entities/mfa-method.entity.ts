import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MfaMethodKind = 'totp' | 'webauthn';

/** One second factor of a user: a TOTP app or a WebAuthn credential. Unconfirmed rows are enrolments in progress. */
@Entity('mfa_methods')
export class MfaMethodEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  kind!: MfaMethodKind;

  @Column('text')
  label!: string;

  /** TOTP only: the base32 secret sealed with AES-256-GCM (SecretBox). */
  @Column('text', { name: 'secret_sealed', nullable: true })
  secretSealed!: string | null;

  /** TOTP only: the last accepted time step; a code of this step or earlier is a replay. */
  @Column('bigint', { name: 'last_used_step', nullable: true })
  lastUsedStep!: string | null;

  /** WebAuthn only: base64url credential id. */
  @Column('text', { name: 'credential_id', nullable: true })
  credentialId!: string | null;

  @Column('bytea', { name: 'public_key', nullable: true })
  publicKey!: Buffer | null;

  @Column('bigint', { name: 'sign_count', default: 0 })
  signCount!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  transports!: string[];

  /** WebAuthn only: may this credential be used from the CLI (a roaming security key rather than a browser passkey). */
  @Column('boolean', { name: 'cli_capable', default: false })
  cliCapable!: boolean;

  /** The method challenges open on; exactly one per enrolled user (a partial unique index keeps it at most one). */
  @Column('boolean', { default: false })
  preferred!: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;
}
