import { BadRequestException, NotFoundException } from '@nestjs/common';
import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it.each([
    ['an Error', new Error('disk full'), 'disk full'],
    ['a Nest exception', new NotFoundException('no user x@example.com'), 'no user x@example.com'],
    [
      'validation messages',
      new BadRequestException(['email must be an email', 'role is unknown']),
      'email must be an email; role is unknown',
    ],
    [
      'a connection refused on every address',
      new AggregateError(
        [
          Object.assign(new Error('connect ECONNREFUSED ::1:5433'), { code: 'ECONNREFUSED' }),
          new Error('connect ECONNREFUSED 127.0.0.1:5433'),
        ],
        '',
      ),
      'connect ECONNREFUSED ::1:5433; connect ECONNREFUSED 127.0.0.1:5433',
    ],
    ['a string', 'port in use', 'port in use'],
    [
      'undefined (a rejected promise without a reason)',
      undefined,
      'failed without saying why (no error details)',
    ],
    ['null', null, 'failed without saying why (no error details)'],
    ['an object', { code: 42 }, '{ code: 42 }'],
  ])('describes %s in one non-empty line', (_what, error, expected) => {
    expect(errorMessage(error)).toBe(expected);
  });

  it('never answers "undefined" for an Error without a message', () => {
    expect(errorMessage(Object.assign(new Error(''), { code: 'EACCES' }))).toBe('Error EACCES');
    expect(errorMessage(new Error(''))).toBe('Error (no message)');
  });
});
