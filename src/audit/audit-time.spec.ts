import { microsToIso, nowMicros } from './audit-time';

describe('audit time', () => {
  it('renders microseconds with six digits in UTC', () => {
    expect(microsToIso(1700000000123456n)).toBe('2023-11-14T22:13:20.123456Z');
    expect(microsToIso(1700000000000001n)).toBe('2023-11-14T22:13:20.000001Z');
  });

  it('never hands out the same time twice', () => {
    const times = Array.from({ length: 1000 }, () => nowMicros());
    expect(new Set(times).size).toBe(1000);
    expect([...times].sort((a, b) => (a < b ? -1 : 1))).toEqual(times);
  });
});
