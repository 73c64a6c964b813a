import type { ScopedRoleBinding } from '../rbac/role-binding';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A person who may log in. Roles are data in the row; permissions are derived from them on every request. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always lower-case; the unique key people are addressed by in the API. */
  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  /** Unscoped role bindings: these roles hold on every app and on the gateway's own routes. */
  @Column('text', { array: true })
  roles!: string[];

  /** Role bindings limited to some apps (names or globs); they never grant anything outside an app. */
  @Column('jsonb', { name: 'scoped_roles', default: () => "'[]'::jsonb" })
  scopedRoles!: ScopedRoleBinding[];

  @Column('timestamptz', { name: 'locked_at', nullable: true })
  lockedAt!: Date | null;

  @Column('text', { name: 'locked_reason', nullable: true })
  lockedReason!: string | null;

  /** Email of the admin (or `operator:<os user>`) who locked the account. */
  @Column('text', { name: 'locked_by', nullable: true })
  lockedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at', nullable: true })
  lastSeenAt!: Date | null;
}
