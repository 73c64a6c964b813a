import { Injectable, Logger } from '@nestjs/common';
import { SettingsService } from '../../settings/settings.service';
import { slackMessage } from '../slack-message';
import { postJson } from './http-post';
import type { NoticeJob } from './notification-jobs';

/** Delivers a notice to the Slack incoming webhook configured at the time of delivery. */
@Injectable()
export class SlackChannel {
  private readonly logger = new Logger('Notifications');

  constructor(private readonly settings: SettingsService) {}

  async configured(): Promise<boolean> {
    return (await this.settings.get('notifications.slack_webhook_url')) !== '';
  }

  async deliver({ notice }: NoticeJob): Promise<void> {
    const url = await this.settings.get('notifications.slack_webhook_url');
    if (!url) {
      this.logger.warn('Slack notification dropped: notifications.slack_webhook_url was removed');
      return;
    }
    await postJson(url, JSON.stringify(slackMessage(notice)));
  }
}
