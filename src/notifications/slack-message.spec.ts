import { hostileApprovalNotice } from './notice-fixture';
import { escapeSlackText, slackMessage } from './slack-message';

describe('Slack messages', () => {
  it('escapes &, < and > so mentions and links typed by a requester stay text', () => {
    expect(escapeSlackText('<!channel> <@U1> <http://x|y> a&b')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;http://x|y&gt; a&amp;b',
    );
  });

  it('builds Block Kit with every user-supplied field escaped and only the gateway link left as a link', () => {
    const message = slackMessage(
      hostileApprovalNotice({ event: 'rejected', actor: 'admin@example.com', notes: '<!everyone> no' }),
    );
    const json = JSON.stringify(message);
    for (const injected of ['<!channel>', '<@U024BE7LH>', '<http://evil.example', '<!here>', '<!everyone>'])
      expect(json).not.toContain(injected);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).toContain('&lt;http://evil.example|click here&gt;');
    const links = json.match(/<[^&][^>]*>/g) ?? [];
    expect(links).toEqual([
      '<http://127.0.0.1:8447/app/deploy-approvals/0b9f3c1e-8a52-4d6f-9d07-2f0c3c1d4e5f|Open in rack-gateway>',
    ]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Deploy rejected: myapp at aaaaaaa' },
    });
    expect(json).toContain('*Rejected by:*\\nadmin@example.com');
  });

  it('cuts a very long message instead of letting Slack refuse the whole notification', () => {
    const message = slackMessage(hostileApprovalNotice({ message: 'x'.repeat(10_000) }));
    const section = message.blocks[2] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(2501);
  });
});
