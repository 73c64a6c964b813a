import { ApiProperty } from '@nestjs/swagger';
import { APPROVAL_STATUSES, type ApprovalStatus } from './approval-status';
import type { DeployApprovalRequestEntity, ExecCommandRecord } from './deploy-approval-request.entity';

/** A person or token named on a request, as it was when it acted (it may have been deleted since). */
export class ApprovalActorView {
  @ApiProperty({ enum: ['user', 'token'] }) kind!: 'user' | 'token';
  @ApiProperty({ description: 'The person, or the owner of the token' }) email!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tokenId!: string | null;
  @ApiProperty({ type: String, nullable: true }) tokenName!: string | null;
}

export class ApprovalTargetTokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: "The token owner's email" }) ownerEmail!: string;
}

export class ExecCommandView implements ExecCommandRecord {
  @ApiProperty() processId!: string;
  @ApiProperty() command!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** Every answer about a request: what was asked, who decided, and what it was used for. */
export class ApprovalRequestView {
  @ApiProperty({ format: 'uuid', description: 'The public id (URLs, audit events, the CLI)' }) id!: string;
  @ApiProperty({ enum: APPROVAL_STATUSES }) status!: ApprovalStatus;
  @ApiProperty() app!: string;
  @ApiProperty({ description: 'Full 40-character commit' }) gitCommit!: string;
  @ApiProperty({ type: String, nullable: true }) gitBranch!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) ciMetadata!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) prUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) ciUrl!: string | null;
  @ApiProperty({ type: ApprovalTargetTokenView }) targetToken!: ApprovalTargetTokenView;
  @ApiProperty({ type: ApprovalActorView }) createdBy!: ApprovalActorView;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Pending: when it expires undecided. Approved: the end of the deploy window',
  })
  expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) approvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) approvalNotes!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rejectedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionNotes!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelledBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancellationNotes!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deployedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) objectUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) buildId!: string | null;
  @ApiProperty({ type: String, nullable: true }) releaseId!: string | null;
  @ApiProperty({ type: [String] }) processIds!: string[];
  @ApiProperty({ type: [ExecCommandView] }) execCommands!: ExecCommandView[];
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

export function toApprovalRequestView(row: DeployApprovalRequestEntity): ApprovalRequestView {
  return {
    id: row.id,
    status: row.status,
    app: row.app,
    gitCommit: row.gitCommit,
    gitBranch: row.gitBranch,
    message: row.message,
    ciMetadata: row.ciMetadata,
    prUrl: row.prUrl,
    ciUrl: row.ciUrl,
    targetToken: { id: row.targetTokenId, name: row.targetTokenName, ownerEmail: row.targetTokenOwnerEmail },
    createdBy: {
      kind: row.createdByKind,
      email: row.createdByEmail,
      tokenId: row.createdByTokenId,
      tokenName: row.createdByTokenName,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    approvedAt: iso(row.approvedAt),
    approvedBy: row.approvedByEmail,
    approvalNotes: row.approvalNotes,
    rejectedAt: iso(row.rejectedAt),
    rejectedBy: row.rejectedByEmail,
    rejectionNotes: row.rejectionNotes,
    cancelledAt: iso(row.cancelledAt),
    cancelledBy: row.cancelledByEmail,
    cancellationNotes: row.cancellationNotes,
    expiredAt: iso(row.expiredAt),
    deployedAt: iso(row.deployedAt),
    objectUrl: row.objectUrl,
    buildId: row.buildId,
    releaseId: row.releaseId,
    processIds: row.processIds,
    execCommands: row.execCommands,
  };
}
