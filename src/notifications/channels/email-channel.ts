import { Injectable, Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { SettingsService } from '../../settings/settings.service';
import { emailContent } from '../email-message';
import type { EmailJob } from './notification-jobs';

/** Sends a notice by SMTP (nodemailer) with the server settings current at the time of delivery. */
@Injectable()
export class EmailChannel {
  private readonly logger = new Logger('Notifications');

  constructor(private readonly settings: SettingsService) {}

  async configured(): Promise<boolean> {
    const [host, from] = await Promise.all([
      this.settings.get('notifications.smtp_host'),
      this.settings.get('notifications.email_from'),
    ]);
    return host !== '' && from !== '';
  }

  async deliver({ notice, to }: EmailJob): Promise<void> {
    const s = (key: Parameters<SettingsService['get']>[0]) => this.settings.get(key);
    const [host, port, security, user, password, from] = await Promise.all([
      s('notifications.smtp_host'),
      s('notifications.smtp_port'),
      s('notifications.smtp_security'),
      s('notifications.smtp_username'),
      s('notifications.smtp_password'),
      s('notifications.email_from'),
    ]);
    if (!host || !from) {
      this.logger.warn('email notification dropped: the SMTP host or sender was removed');
      return;
    }
    const transport = createTransport({
      host: host as string,
      port: port as number,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      auth: user ? { user: user as string, pass: password as string } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      const { subject, text } = emailContent(notice);
      await transport.sendMail({ from: from as string, to, subject, text });
    } finally {
      transport.close();
    }
  }
}
