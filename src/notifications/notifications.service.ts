import { HttpStatus, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { SettingsService } from '../settings/settings.service';
import { EmailChannel } from './channels/email-channel';
import { EMAIL_JOB, SLACK_JOB, WEBHOOK_JOB } from './channels/notification-jobs';
import { SlackChannel } from './channels/slack-channel';
import { WebhookChannel } from './channels/webhook-channel';
import type { AccountLockedNotice, ApprovalNotice, Notice } from './notice';

/**
 * Turns a notice into one job per configured channel (docs/NOTIFICATIONS.md). The jobs are written in the
 * transaction of the change they tell about (the caller's `within`), so the notice exists exactly when the
 * change commits: a crash right after the commit loses nothing, and a change rolled back tells nobody.
 * Delivery happens in the job, so a slow or failing Slack never delays the request that caused the notice,
 * and a failed delivery is retried with backoff, across restarts. Channels read their URLs and keys when
 * they deliver, so none of it is ever stored in a job.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('NotificationsService');
  private readonly publicUrl: string;

  constructor(
    private readonly jobs: JobQueue,
    private readonly settings: SettingsService,
    private readonly slack: SlackChannel,
    private readonly webhook: WebhookChannel,
    private readonly email: EmailChannel,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = config.http.publicUrl.replace(/\/+$/, '');
  }

  onModuleInit(): void {
    this.jobs.register(SLACK_JOB, (args) => this.slack.deliver(args));
    this.jobs.register(WEBHOOK_JOB, (args, job) => this.webhook.deliver(args, job.id));
    this.jobs.register(EMAIL_JOB, (args) => this.email.deliver(args));
  }

  /** Where an admin reads a deploy-approval request. */
  approvalUrl(requestId: string): string {
    return `${this.publicUrl}/app/deploy-approvals/${encodeURIComponent(requestId)}`;
  }

  /** Where an admin finds a user (to unlock the account). */
  userUrl(email: string): string {
    return `${this.publicUrl}/app/users/${encodeURIComponent(email)}`;
  }

  async approval(notice: Omit<ApprovalNotice, 'kind' | 'url'>, within: EntityManager): Promise<void> {
    const recipients = await this.settings.get('notifications.email_to');
    const full: Notice = { kind: 'approval', url: this.approvalUrl(notice.requestId), ...notice };
    await this.send(full, recipients, within);
  }

  /**
   * An account was locked: the user and the admins (`recipients`) are emailed, Slack and webhook told. Jobs
   * that cannot be written refuse the lock the way an approval change is refused (503
   * `notifications_unavailable`, the transaction rolled back), not with a bare 500.
   */
  async accountLocked(
    notice: Omit<AccountLockedNotice, 'kind' | 'url'>,
    recipients: string[],
    within: EntityManager,
  ): Promise<void> {
    const full: Notice = { kind: 'account_locked', url: this.userUrl(notice.user), ...notice };
    try {
      await this.send(full, recipients, within);
    } catch (error) {
      this.logger.error({ err: error, user: notice.user }, 'the lock notice could not be stored; no lock');
      throw apiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'notifications_unavailable',
        'the account was not locked: its notifications could not be stored; try again',
      );
    }
  }

  /**
   * Enqueues the deliveries on the caller's transaction, one after the other (a transaction's connection
   * runs one statement at a time). A failure throws, so the change that caused the notice rolls back with
   * it rather than happen untold.
   */
  private async send(notice: Notice, emailTo: string[], within: EntityManager): Promise<void> {
    if (await this.slack.configured()) await this.jobs.enqueue(SLACK_JOB, { notice }, within);
    if (await this.webhook.configured()) await this.jobs.enqueue(WEBHOOK_JOB, { notice }, within);
    if (emailTo.length > 0 && (await this.email.configured()))
      await this.jobs.enqueue(EMAIL_JOB, { notice, to: emailTo }, within);
  }
}
