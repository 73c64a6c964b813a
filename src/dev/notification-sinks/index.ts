import { DevInbox } from './dev-inbox';
import { startMockSmtpServer } from './mock-smtp-server';
import { startWebhookSink } from './webhook-sink';

export { DevInbox } from './dev-inbox';

export interface NotificationSinks {
  inbox: DevInbox;
  smtpPort: number;
  /** Base URL of the webhook sink; `/slack` and `/webhook` receive, `/` lists. */
  url: string;
  /** The settings (as RGW_SETTING_ variables) that point the gateway at these sinks. */
  settingsEnvironment: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Listens on `port`, or on any free port when it is taken: the sinks are conveniences, and a second
 * development stack on the machine must not fail to start over them (the banner shows the real port).
 */
async function onPortOrAny<T>(port: number | undefined, start: (port?: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !port) throw error;
    return start(0);
  }
}

/** The mock SMTP server and webhook sink of the development stack (and of notification tests). */
export async function startNotificationSinks(options: {
  webhookSecret: string;
  smtpPort?: number;
  webhookPort?: number;
  emailTo?: string[];
  print?: (line: string) => void;
}): Promise<NotificationSinks> {
  const inbox = new DevInbox(options.print);
  const smtp = await onPortOrAny(options.smtpPort, (port) => startMockSmtpServer(inbox, port));
  const sink = await onPortOrAny(options.webhookPort, (port) =>
    startWebhookSink(inbox, options.webhookSecret, port),
  ).catch(async (error: unknown) => {
    await smtp.close();
    throw error;
  });
  return {
    inbox,
    smtpPort: smtp.port,
    url: sink.url,
    settingsEnvironment: {
      RGW_SETTING_NOTIFICATIONS_SLACK_WEBHOOK_URL: `${sink.url}/slack`,
      RGW_SETTING_NOTIFICATIONS_WEBHOOK_URL: `${sink.url}/webhook`,
      RGW_SETTING_NOTIFICATIONS_WEBHOOK_SECRET: options.webhookSecret,
      RGW_SETTING_NOTIFICATIONS_SMTP_HOST: '127.0.0.1',
      RGW_SETTING_NOTIFICATIONS_SMTP_PORT: String(smtp.port),
      RGW_SETTING_NOTIFICATIONS_SMTP_SECURITY: 'none',
      RGW_SETTING_NOTIFICATIONS_EMAIL_FROM: 'rack-gateway@example.com',
      RGW_SETTING_NOTIFICATIONS_EMAIL_TO: (options.emailTo ?? ['admin@example.com']).join(','),
    },
    close: async () => {
      await Promise.allSettled([smtp.close(), sink.close()]);
    },
  };
}
