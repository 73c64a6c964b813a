import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApprovalStatus } from './approval-status';

/** One command run under an approval, in the order they were run. */
export interface ExecCommandRecord {
  processId: string;
  command: string;
  at: string;
}

/**
 * A deploy approval request (migration 1796173058767). Tokens and people are soft references: their ids
 * plus the names they had, so the history reads the same after they are deleted. Status changes go through
 * the services, and the database refuses illegal ones.
 */
@Entity('deploy_approval_requests')
export class DeployApprovalRequestEntity {
  /** The public id, used in URLs, audit events and the CLI. */
  @PrimaryColumn('uuid') id!: string;
  @Column('text') status!: ApprovalStatus;
  @Column('text') app!: string;
  /** Full 40-character lower-case hex commit. */
  @Column('text', { name: 'git_commit' }) gitCommit!: string;
  @Column('text', { name: 'git_branch', nullable: true }) gitBranch!: string | null;
  @Column('text') message!: string;
  @Column('jsonb', { name: 'ci_metadata' }) ciMetadata!: Record<string, unknown>;
  @Column('text', { name: 'pr_url', nullable: true }) prUrl!: string | null;
  @Column('text', { name: 'ci_url', nullable: true }) ciUrl!: string | null;

  @Column('uuid', { name: 'target_token_id' }) targetTokenId!: string;
  @Column('text', { name: 'target_token_name' }) targetTokenName!: string;
  @Column('uuid', { name: 'target_token_owner_id' }) targetTokenOwnerId!: string;
  @Column('text', { name: 'target_token_owner_email' }) targetTokenOwnerEmail!: string;

  @Column('text', { name: 'created_by_kind' }) createdByKind!: 'user' | 'token';
  /** The person, or for a token the token's owner. */
  @Column('uuid', { name: 'created_by_user_id' }) createdByUserId!: string;
  @Column('text', { name: 'created_by_email' }) createdByEmail!: string;
  @Column('uuid', { name: 'created_by_token_id', nullable: true }) createdByTokenId!: string | null;
  @Column('text', { name: 'created_by_token_name', nullable: true }) createdByTokenName!: string | null;

  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  /** Pending: when nobody decided in time. Approved: the end of the deploy window. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;

  @Column('timestamptz', { name: 'approved_at', nullable: true }) approvedAt!: Date | null;
  @Column('uuid', { name: 'approved_by_user_id', nullable: true }) approvedByUserId!: string | null;
  @Column('text', { name: 'approved_by_email', nullable: true }) approvedByEmail!: string | null;
  @Column('text', { name: 'approval_notes', nullable: true }) approvalNotes!: string | null;
  @Column('timestamptz', { name: 'rejected_at', nullable: true }) rejectedAt!: Date | null;
  @Column('uuid', { name: 'rejected_by_user_id', nullable: true }) rejectedByUserId!: string | null;
  @Column('text', { name: 'rejected_by_email', nullable: true }) rejectedByEmail!: string | null;
  @Column('text', { name: 'rejection_notes', nullable: true }) rejectionNotes!: string | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column('text', { name: 'cancelled_by_email', nullable: true }) cancelledByEmail!: string | null;
  @Column('text', { name: 'cancellation_notes', nullable: true }) cancellationNotes!: string | null;
  @Column('timestamptz', { name: 'expired_at', nullable: true }) expiredAt!: Date | null;
  @Column('timestamptz', { name: 'deployed_at', nullable: true }) deployedAt!: Date | null;

  // What the approval was used for, written by the rack proxy's gate in its forwarding transaction.
  @Column('text', { name: 'object_url', nullable: true }) objectUrl!: string | null;
  @Column('text', { name: 'build_id', nullable: true }) buildId!: string | null;
  @Column('text', { name: 'release_id', nullable: true }) releaseId!: string | null;
  @Column('text', { name: 'process_ids', array: true }) processIds!: string[];
  @Column('jsonb', { name: 'exec_commands' }) execCommands!: ExecCommandRecord[];
}
