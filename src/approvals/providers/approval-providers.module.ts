import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals.module';
import { ApprovalNotifier } from './approval-notifier';
import { CircleCiAutoApprove } from './circleci-auto-approve';
import { GitHubCommitCheck } from './github-commit-check';

/**
 * What deploy approvals do outside the gateway: notifications on each lifecycle change, CircleCI's
 * approval job released after a human approves, GitHub commit verification when a request is made.
 * Each hooks into the approvals module's lifecycle or create checks; the approvals module knows none.
 */
@Module({
  imports: [ApprovalsModule],
  providers: [ApprovalNotifier, CircleCiAutoApprove, GitHubCommitCheck],
})
export class ApprovalProvidersModule {}
