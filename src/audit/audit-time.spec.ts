import { microsToIso, nowMicros } from './audit-time';

describe('audit time', () => {
  it('renders microseconds with six digits in UTC', () => {
    expect(microsToIso(1700000000123456n)).toBe('2023-11-14T22:13:20.123456Z');
    expect(microsToIso(1700000000000001n)).toBe('2023-11-14T22:13:20.000001Z');
  });

  it('renders every microsecond of a second the way the BigInt arithmetic did', () => {
    const byBigInt = (micros: bigint) =>
      `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}.${String(Number(micros % 1000000n)).padStart(6, '0')}Z`;
    for (let offset = 0n; offset < 1_000_000n; offset += 997n) {
      const micros = 1764650000000000n + offset;
      expect(microsToIso(micros)).toBe(byBigInt(micros));
    }
    expect(microsToIso(7258118399999999n)).toBe('2199-12-31T23:59:59.999999Z');
  });

  it('never hands out the same time twice', () => {
    const times = Array.from({ length: 1000 }, () => nowMicros());
    expect(new Set(times).size).toBe(1000);
    expect([...times].sort((a, b) => (a < b ? -1 : 1))).toEqual(times);
  });
});
