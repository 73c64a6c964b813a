import { defineSetting } from '../setting-definition';
import { emailListType, enumType, integerType, stringType } from '../setting-types';

const NOTIFIER = 'notification jobs, at each delivery (src/notifications)';
const HTTP_URL = /^https?:\/\/[^\s/?#@]+(:\d{1,5})?(\/[^\s]*)?$/;
const HTTP_URL_RULE = 'an http(s) URL with no user:password part';

/**
 * Where notifications go (docs/NOTIFICATIONS.md). A channel with nothing configured is skipped. URLs and
 * keys are sensitive: a Slack webhook URL is itself the credential.
 */
export const NOTIFICATION_SETTINGS = [
  defineSetting({
    key: 'notifications.slack_webhook_url',
    scope: 'global',
    group: 'Notifications',
    type: stringType(HTTP_URL, HTTP_URL_RULE, 2000),
    default: '',
    description: 'Slack incoming-webhook URL that receives deploy-approval and account-lock messages.',
    readBy: NOTIFIER,
    sensitive: true,
  }),
  defineSetting({
    key: 'notifications.webhook_url',
    scope: 'global',
    group: 'Notifications',
    type: stringType(HTTP_URL, HTTP_URL_RULE, 2000),
    default: '',
    description:
      'URL that receives every notification as signed JSON (POST; see docs/NOTIFICATIONS.md for verifying it).',
    readBy: NOTIFIER,
    sensitive: true,
  }),
  defineSetting({
    key: 'notifications.webhook_secret',
    scope: 'global',
    group: 'Notifications',
    type: stringType(/^\S{16,}$/, 'at least 16 characters without spaces', 512),
    default: '',
    description:
      'Key of the HMAC-SHA256 signature on webhook notifications. Without it the webhook is not sent (unsigned calls would be forgeable).',
    readBy: NOTIFIER,
    sensitive: true,
  }),
  defineSetting({
    key: 'notifications.email_to',
    scope: 'global',
    group: 'Notifications',
    type: emailListType(50),
    default: [],
    description:
      'Who is emailed about deploy approvals. An account lock is emailed to the locked user and every admin instead.',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.email_from',
    scope: 'global',
    group: 'Notifications',
    type: stringType(/^[^\s@<>,;"]{1,64}@[A-Za-z0-9.-]{1,253}$/, 'an email address', 320),
    default: '',
    description: 'Sender address of notification emails. Email is off while this or the SMTP host is empty.',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.smtp_host',
    scope: 'global',
    group: 'Notifications',
    type: stringType(/^[A-Za-z0-9.-]+$/, 'a host name or IPv4 address', 253),
    default: '',
    description: 'SMTP server that sends notification emails.',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.smtp_port',
    scope: 'global',
    group: 'Notifications',
    type: integerType(1, 65535),
    default: 587,
    description: 'Port of the SMTP server.',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.smtp_security',
    scope: 'global',
    group: 'Notifications',
    type: enumType(['starttls', 'tls', 'none']),
    default: 'starttls',
    description:
      '`starttls`: plain connection upgraded to TLS, refused if the server cannot (port 587); `tls`: TLS from the first byte (port 465); `none`: no encryption (only for a server on loopback).',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.smtp_username',
    scope: 'global',
    group: 'Notifications',
    type: stringType(/^\S+$/, 'a user name without spaces', 320),
    default: '',
    description: 'SMTP user name; empty sends without logging in.',
    readBy: NOTIFIER,
  }),
  defineSetting({
    key: 'notifications.smtp_password',
    scope: 'global',
    group: 'Notifications',
    type: stringType(/^[^\r\n]+$/, 'a password on one line', 512),
    default: '',
    description: 'SMTP password.',
    readBy: NOTIFIER,
    sensitive: true,
  }),
] as const;
