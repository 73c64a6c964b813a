import { errorText } from './error-text';

describe('errorText', () => {
  it.each([
    ['an Error', new Error('disk full'), 'disk full'],
    [
      'a fetch failure with its cause',
      new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8447') }),
      'fetch failed (connect ECONNREFUSED 127.0.0.1:8447)',
    ],
    ['an Error without a message', Object.assign(new Error(''), { code: 'EPIPE' }), 'Error EPIPE'],
    ['a string', 'boom', 'boom'],
    ['undefined', undefined, 'failed without saying why (no error details)'],
    ['an object', { status: 500 }, '{ status: 500 }'],
  ])('describes %s in one line, never "undefined"', (_what, error, expected) => {
    expect(errorText(error)).toBe(expected);
  });
});
