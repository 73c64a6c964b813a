import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RbacModule } from '../rbac/rbac.module';
import { ApiTokenEntity } from '../tokens/api-token.entity';
import { ApprovalAuditSnapshot } from './approval-audit-snapshot';
import { ApprovalDecisionsService } from './approval-decisions.service';
import { ApprovalExpiry } from './approval-expiry.service';
import { ApprovalLifecycle } from './approval-lifecycle';
import { ApprovalQueriesService } from './approval-queries.service';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApprovalStore } from './approval-store';
import { ApprovalTracking } from './approval-tracking.service';
import { ApprovalsController } from './approvals.controller';
import { DeployApprovalRequestEntity } from './deploy-approval-request.entity';
import { DeploymentReportController } from './deployment-report/deployment-report.controller';
import { DeploymentReportService } from './deployment-report/deployment-report.service';

/**
 * Deploy approvals: requests, decisions, expiry, and what other modules use — `ApprovalTracking` (the rack
 * proxy's gate) and `ApprovalLifecycle` (notifications subscribe to it).
 */
@Module({
  imports: [TypeOrmModule.forFeature([DeployApprovalRequestEntity, ApiTokenEntity]), RbacModule],
  controllers: [ApprovalsController, DeploymentReportController],
  providers: [
    ApprovalStore,
    ApprovalAuditSnapshot,
    ApprovalLifecycle,
    ApprovalExpiry,
    ApprovalRequestsService,
    ApprovalDecisionsService,
    ApprovalQueriesService,
    ApprovalTracking,
    DeploymentReportService,
  ],
  exports: [ApprovalLifecycle, ApprovalTracking, ApprovalQueriesService, ApprovalRequestsService],
})
export class ApprovalsModule {}
