import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRecorder } from '../../audit/audit-recorder';
import { errorMessage } from '../../errors/error-message';
import { type JobKind, JobQueue } from '../../jobs/job-queue';
import { SettingsService } from '../../settings/settings.service';
import { APPROVAL_RESOURCE_TYPE, approvalLink } from '../approval-audit';
import { ApprovalLifecycle, type ApprovalLifecycleEvent } from '../approval-lifecycle';
import { CircleCiClient } from './circleci-client';

/** The job's arguments: which workflow, which job. The CircleCI token is read from settings when it runs. */
export interface CircleCiApproveArgs {
  requestId: string;
  app: string;
  workflowId: string;
  jobName: string;
}

// About 10 s, 20 s, 40 s …: the approval job may not exist yet when the human is quick.
export const CIRCLECI_APPROVE_JOB: JobKind<CircleCiApproveArgs> = {
  queue: 'circleci-approve',
  retryLimit: 8,
  retryDelaySeconds: 10,
};

export const CI_AUTO_APPROVE_ACTION = 'gateway:deploy_approval:ci_auto_approve';

const metadataText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * After a person approves a request whose CI metadata names a CircleCI workflow, approves that workflow's
 * `type: approval` job (API v2: list the workflow's jobs, approve by the job's approval_request_id), as a
 * retried job. Each outcome is an audit event linked to the request, so a failure shows on the request.
 */
@Injectable()
export class CircleCiAutoApprove implements OnModuleInit {
  private readonly logger = new Logger('CircleCI');

  constructor(
    private readonly lifecycle: ApprovalLifecycle,
    private readonly jobs: JobQueue,
    private readonly settings: SettingsService,
    private readonly audit: AuditRecorder,
  ) {}

  onModuleInit(): void {
    this.jobs.register(CIRCLECI_APPROVE_JOB, (args) => this.approve(args));
    this.lifecycle.subscribe((event, within) => this.onLifecycle(event, within));
  }

  private async onLifecycle({ kind, request }: ApprovalLifecycleEvent, within: EntityManager): Promise<void> {
    if (kind !== 'approved') return;
    const { app } = request;
    if ((await this.settings.getForApp(app, 'ci.provider')) !== 'circleci') return;
    if (!(await this.settings.getForApp(app, 'ci.auto_approve'))) return;
    const workflowId = metadataText(request.ciMetadata.workflow_id);
    if (!workflowId) return;
    const jobName =
      metadataText(request.ciMetadata.approval_job_name) ??
      (await this.settings.getForApp(app, 'ci.approval_job_name'));
    // In the approving transaction: the job exists exactly when the approval does.
    await this.jobs.enqueue(
      CIRCLECI_APPROVE_JOB,
      { requestId: request.id, app, workflowId, jobName },
      within,
    );
  }

  async approve(args: CircleCiApproveArgs): Promise<void> {
    try {
      const outcome = await this.approveJob(args);
      await this.record(args, 'allow', outcome);
    } catch (error) {
      await this.record(args, 'error', errorMessage(error));
      throw error;
    }
  }

  private async approveJob({ app, workflowId, jobName }: CircleCiApproveArgs): Promise<string> {
    const token = await this.settings.getForApp(app, 'ci.api_token');
    if (!token) throw new Error(`ci.api_token is not set for ${app}`);
    const client = new CircleCiClient(await this.settings.get('ci.circleci_api_url'), token);
    const job = (await client.workflowJobs(workflowId)).find(
      (j) => j.name === jobName && j.type === 'approval',
    );
    if (!job?.approval_request_id)
      throw new Error(`workflow ${workflowId} has no approval job named ${jobName} yet`);
    if (job.status !== 'on_hold') return `approval job ${jobName} was already ${job.status}`;
    await client.approve(workflowId, job.approval_request_id);
    return `approved job ${jobName} of workflow ${workflowId}`;
  }

  private async record(
    args: CircleCiApproveArgs,
    decision: 'allow' | 'error',
    outcome: string,
  ): Promise<void> {
    await this.audit
      .record({
        action: CI_AUTO_APPROVE_ACTION,
        decision,
        rule: 'ci.auto_approve',
        resourceType: APPROVAL_RESOURCE_TYPE,
        resourceName: args.requestId,
        status: decision === 'allow' ? 200 : 502,
        details: { ...approvalLink(args.requestId), app: args.app, workflowId: args.workflowId, outcome },
      })
      .catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'could not audit a CircleCI call'),
      );
  }
}
