import { parseDuration } from './duration-option';

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['20m', 1_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['0', 0],
  ])('reads %s', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));

  it.each(['', '5x', '1.5m', 'm5', '10m junk'])('refuses %j and names the option', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(/--timeout must be a duration/);
  });
});
