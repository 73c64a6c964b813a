import { escapeLiteral } from 'pg';
import { literal } from './one-trip-statements';

describe('literal', () => {
  it.each([
    '',
    'plain',
    "it's",
    "''",
    'back\\slash',
    "both ' and \\ here",
    '\\',
    "\\'",
    '/apps/myapp/releases?x=1&y=2',
    'ünïcødé — “quotes” 😀',
    'line\nbreak\ttab',
    '{"details":"a\\"b"}',
  ])('writes %j exactly as the pg driver escapes it', (value) => {
    expect(literal(value)).toBe(escapeLiteral(value));
  });
});
