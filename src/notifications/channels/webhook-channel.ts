import { Injectable, Logger } from '@nestjs/common';
import { SettingsService } from '../../settings/settings.service';
import { noticeType } from '../notice';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../webhook-signature';
import { postJson } from './http-post';
import type { NoticeJob } from './notification-jobs';

/**
 * Delivers a notice as signed JSON. Each attempt is signed with its own timestamp (a retry an hour later
 * must still pass the receiver's replay window); the delivery id stays the job's id, so a receiver can
 * drop a delivery it already handled.
 */
@Injectable()
export class WebhookChannel {
  private readonly logger = new Logger('Notifications');

  constructor(private readonly settings: SettingsService) {}

  async configured(): Promise<boolean> {
    const [url, secret] = await Promise.all([
      this.settings.get('notifications.webhook_url'),
      this.settings.get('notifications.webhook_secret'),
    ]);
    return url !== '' && secret !== '';
  }

  async deliver({ notice }: NoticeJob, deliveryId: string): Promise<void> {
    const [url, secret] = await Promise.all([
      this.settings.get('notifications.webhook_url'),
      this.settings.get('notifications.webhook_secret'),
    ]);
    if (!url || !secret) {
      this.logger.warn('webhook notification dropped: the webhook URL or its signing secret was removed');
      return;
    }
    const body = JSON.stringify({ id: deliveryId, type: noticeType(notice), data: notice });
    const timestamp = Math.floor(Date.now() / 1000);
    await postJson(url, body, {
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      [DELIVERY_HEADER]: deliveryId,
    });
  }
}
