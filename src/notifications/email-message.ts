import { type Notice, noticeFacts, noticeTitle } from './notice';

export interface EmailContent {
  subject: string;
  text: string;
}

// Header values must stay one line whatever a requester typed (nodemailer encodes, this also shortens).
const headerSafe = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);

/** A plain-text email: no HTML, so nothing a requester types can become markup or a disguised link. */
export function emailContent(notice: Notice): EmailContent {
  const lines = [noticeTitle(notice), ''];
  for (const [label, value] of noticeFacts(notice)) lines.push(`${label}: ${headerSafe(value)}`);
  if (notice.kind === 'approval') {
    lines.push('', 'Message:', ...notice.message.split(/\r?\n/).map((line) => `  ${line}`));
    if (notice.notes) lines.push('', 'Notes:', ...notice.notes.split(/\r?\n/).map((line) => `  ${line}`));
  }
  lines.push('', `Open in rack-gateway: ${notice.url}`, '');
  return { subject: `[rack-gateway] ${headerSafe(noticeTitle(notice))}`, text: lines.join('\n') };
}
