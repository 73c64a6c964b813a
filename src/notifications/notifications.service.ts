import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { errorMessage } from '../errors/error-message';
import { JobQueue } from '../jobs/job-queue';
import { SettingsService } from '../settings/settings.service';
import { EmailChannel } from './channels/email-channel';
import { EMAIL_JOB, SLACK_JOB, WEBHOOK_JOB } from './channels/notification-jobs';
import { SlackChannel } from './channels/slack-channel';
import { WebhookChannel } from './channels/webhook-channel';
import type { AccountLockedNotice, ApprovalNotice, Notice } from './notice';

/**
 * Turns a notice into one job per configured channel (docs/NOTIFICATIONS.md). Delivery happens in the
 * job, so a slow or failing Slack never delays the request that caused the notice, and a failed delivery
 * is retried with backoff, across restarts. Channels read their URLs and keys when they deliver, so
 * none of it is ever stored in a job.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('Notifications');
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

  async approval(notice: Omit<ApprovalNotice, 'kind' | 'url'>): Promise<void> {
    const recipients = await this.settings.get('notifications.email_to');
    await this.send({ kind: 'approval', url: this.approvalUrl(notice.requestId), ...notice }, recipients);
  }

  /** An account was locked: the user and the admins (`recipients`) are emailed, Slack and webhook told. */
  async accountLocked(
    notice: Omit<AccountLockedNotice, 'kind' | 'url'>,
    recipients: string[],
  ): Promise<void> {
    await this.send({ kind: 'account_locked', url: this.userUrl(notice.user), ...notice }, recipients);
  }

  /**
   * Enqueues the deliveries. A failure to enqueue is logged and swallowed: the action that caused the
   * notice has already happened (and is in the audit log); refusing it now would not undo it.
   */
  private async send(notice: Notice, emailTo: string[]): Promise<void> {
    try {
      const queued: Promise<string>[] = [];
      if (await this.slack.configured()) queued.push(this.jobs.enqueue(SLACK_JOB, { notice }));
      if (await this.webhook.configured()) queued.push(this.jobs.enqueue(WEBHOOK_JOB, { notice }));
      if (emailTo.length > 0 && (await this.email.configured()))
        queued.push(this.jobs.enqueue(EMAIL_JOB, { notice, to: emailTo }));
      await Promise.all(queued);
    } catch (error) {
      this.logger.error(
        { notice: notice.kind, error: errorMessage(error) },
        `notification could not be queued: ${errorMessage(error)}`,
      );
    }
  }
}
