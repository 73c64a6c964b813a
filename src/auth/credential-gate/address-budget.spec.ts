import { AddressBudget } from './address-budget';

describe('AddressBudget', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('allows the budget, then blocks the address for a minute and says how long', () => {
    const budget = new AddressBudget(3, 4, clock);
    expect([budget.refuse('a'), budget.refuse('a'), budget.refuse('a')]).toEqual([0, 0, 0]);
    expect(budget.refuse('a')).toBe(60);
    expect(budget.refuse('b')).toBe(0);
    now += 20_000;
    expect(budget.blockedFor('a')).toBe(40);
    expect(budget.refuse('a')).toBe(40);
    now += 40_000;
    expect(budget.blockedFor('a')).toBe(0);
    expect(budget.refuse('a')).toBe(0);
  });

  it('lets one lookup at a time through per blocked address, and only a few in all', () => {
    const budget = new AddressBudget(0, 2, clock);
    for (const address of ['a', 'b', 'c']) budget.refuse(address);
    const first = budget.probe('a');
    expect(first).toBeDefined();
    expect(budget.probe('a')).toBeUndefined();
    const second = budget.probe('b');
    expect(second).toBeDefined();
    expect(budget.probe('c')).toBeUndefined();
    first!();
    first!();
    expect(budget.probe('c')).toBeDefined();
    expect(budget.probe('a')).toBeUndefined();
    second!();
    expect(budget.probe('a')).toBeDefined();
  });
});
