import { APPROVAL_STATUSES, canTransition, isTerminal, statusesLeadingTo } from './approval-status';

describe('the approval state machine', () => {
  it('allows exactly the transitions of the issue', () => {
    const legal = APPROVAL_STATUSES.flatMap((from) =>
      APPROVAL_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(legal.sort()).toEqual(
      [
        'pending->approved',
        'pending->rejected',
        'pending->cancelled',
        'pending->expired',
        'approved->deployed',
        'approved->rejected',
        'approved->cancelled',
        'approved->expired',
      ].sort(),
    );
  });

  it('never leaves a terminal state', () => {
    for (const from of APPROVAL_STATUSES.filter(isTerminal)) {
      expect(APPROVAL_STATUSES.filter((to) => canTransition(from, to))).toEqual([]);
    }
  });

  it('names where a transition may start', () => {
    expect(statusesLeadingTo('deployed')).toEqual(['approved']);
    expect(statusesLeadingTo('rejected')).toEqual(['pending', 'approved']);
  });
});
