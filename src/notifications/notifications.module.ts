import { Global, Module } from '@nestjs/common';
import { EmailChannel } from './channels/email-channel';
import { SlackChannel } from './channels/slack-channel';
import { WebhookChannel } from './channels/webhook-channel';
import { NotificationsService } from './notifications.service';

/**
 * Notifications to people (Slack, signed webhook, email), sent as background jobs. Global: approvals and
 * MFA tell it what happened; it depends only on settings, config and the job queue.
 */
@Global()
@Module({
  providers: [SlackChannel, WebhookChannel, EmailChannel, NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
