import type { JobKind } from '../../jobs/job-queue';
import type { Notice } from '../notice';

export interface NoticeJob {
  notice: Notice;
}

export interface EmailJob extends NoticeJob {
  to: string[];
}

// About 5 s, 10 s, 20 s … between attempts: ten attempts span roughly an hour and a half.
const RETRIES = { retryLimit: 9, retryDelaySeconds: 5 };

export const SLACK_JOB: JobKind<NoticeJob> = { queue: 'notify-slack', ...RETRIES };
export const WEBHOOK_JOB: JobKind<NoticeJob> = { queue: 'notify-webhook', ...RETRIES };
export const EMAIL_JOB: JobKind<EmailJob> = { queue: 'notify-email', ...RETRIES };
