import type { ApprovalNotice } from './notice';

/** A deploy-approval notice whose requester typed every Slack control sequence there is. */
export function hostileApprovalNotice(overrides: Partial<ApprovalNotice> = {}): ApprovalNotice {
  return {
    kind: 'approval',
    event: 'created',
    requestId: '0b9f3c1e-8a52-4d6f-9d07-2f0c3c1d4e5f',
    app: 'myapp',
    gitCommit: 'a'.repeat(40),
    gitBranch: 'feature/<!here>',
    message: 'Ship it <!channel> <@U024BE7LH> <http://evil.example|click here> & more',
    requestedBy: 'deployer@example.com',
    actor: null,
    notes: null,
    url: 'http://127.0.0.1:8447/app/deploy-approvals/0b9f3c1e-8a52-4d6f-9d07-2f0c3c1d4e5f',
    occurredAt: '2026-12-02T01:00:00.000Z',
    ...overrides,
  };
}
