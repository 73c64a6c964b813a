import { logFormatFor } from './log-format';

describe('logFormatFor', () => {
  it.each([
    ['development', true, 'pretty'],
    ['development', false, 'json'],
    ['development', undefined, 'json'],
    ['production', true, 'json'],
    ['production', false, 'json'],
    ['test', true, 'json'],
    ['test', undefined, 'json'],
  ] as const)('in %s mode with a TTY %s writes %s lines', (mode, tty, format) => {
    expect(logFormatFor(mode, tty)).toBe(format);
  });
});
