import { type Notice, noticeFacts, noticeTitle } from './notice';

/**
 * Slack reads `<…>` in message text as a control sequence: `<!channel>` pings everyone, `<@U123>` mentions
 * a person, `<http://x|y>` shows y but links x. Escaping `&`, `<` and `>` (the three characters Slack
 * itself escapes) turns all of them into plain text, so text from a requester can only ever be text.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Slack refuses a section text over 3000 characters; a long message is cut, not the whole notification.
const MAX_TEXT = 2500;
const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ');

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** A Block Kit message for an incoming webhook. Only the link to the gateway is an unescaped link. */
export function slackMessage(notice: Notice): SlackMessage {
  const title = escapeSlackText(oneLine(noticeTitle(notice)));
  const fields = noticeFacts(notice).map(([label, value]) => ({
    type: 'mrkdwn',
    text: `*${label}:*\n${escapeSlackText(oneLine(cut(value)))}`,
  }));
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(oneLine(noticeTitle(notice))).slice(0, 150) } },
    { type: 'section', fields },
  ];
  if (notice.kind === 'approval') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeSlackText(cut(notice.message)) } });
    if (notice.notes) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: `*Notes:*\n${escapeSlackText(cut(notice.notes))}` },
      });
    }
  }
  // The only link: the gateway's own URL (configuration plus an id), escaped like any text.
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `<${escapeSlackText(notice.url)}|Open in rack-gateway>` }],
  });
  return { text: title, blocks };
}
