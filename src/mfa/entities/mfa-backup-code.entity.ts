import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One single-use recovery code, stored only as a keyed hash (`<key id>:<hmac hex>`). */
@Entity('mfa_backup_codes')
export class MfaBackupCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { name: 'code_hash', select: false })
  codeHash!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
