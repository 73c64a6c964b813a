import { emailContent } from './email-message';
import { hostileApprovalNotice } from './notice-fixture';

describe('notification emails', () => {
  it('puts the facts and the message in plain text with a one-line subject', () => {
    const { subject, text } = emailContent(
      hostileApprovalNotice({ event: 'approved', actor: 'admin@example.com', notes: 'go\nahead' }),
    );
    expect(subject).toBe('[rack-gateway] Deploy approved: myapp at aaaaaaa');
    expect(text).toContain(`Commit: ${'a'.repeat(40)}`);
    expect(text).toContain('Approved by: admin@example.com');
    expect(text).toContain('  Ship it <!channel>');
    expect(text).toContain('Notes:\n  go\n  ahead');
    expect(text).toContain('Open in rack-gateway: http://127.0.0.1:8447/app/deploy-approvals/');
  });

  it('keeps a line break typed into the branch out of the subject and the fact lines', () => {
    const { subject, text } = emailContent(
      hostileApprovalNotice({ app: 'myapp', gitBranch: 'x\r\nBcc: victim@example.com' }),
    );
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain('Branch: x Bcc: victim@example.com');
  });
});
