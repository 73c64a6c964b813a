import { renderApprovalDetails } from './approval-output';

const inTenMinutes = new Date(Date.now() + 10 * 60_000).toISOString();
const request = (status: string) => ({
  id: 'r1',
  status,
  app: 'shop',
  gitCommit: 'c'.repeat(40),
  message: 'm',
  expiresAt: inTenMinutes,
});
const deadlineLine = (status: string) =>
  renderApprovalDetails(request(status))
    .split('\n')
    .find((line) => line.includes(inTenMinutes));

describe('renderApprovalDetails: the expiresAt line', () => {
  it('counts down the pending TTL and the deploy window of an open request', () => {
    expect(deadlineLine('pending')).toMatch(/^Expires\s+\S+ \(in /);
    expect(deadlineLine('approved')).toMatch(/^Deploy window until\s+\S+ \(in/);
  });

  it('shows a used or closed request its old deadline without a countdown (never "was due in 10 minutes")', () => {
    expect(deadlineLine('deployed')).toMatch(/^Deploy window until\s+\S+$/);
    for (const status of ['rejected', 'cancelled', 'expired'])
      expect(deadlineLine(status)).toMatch(/^Was due\s+\S+$/);
  });
});
