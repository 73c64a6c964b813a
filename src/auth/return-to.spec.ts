import { DEFAULT_RETURN_TO, safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/api/v1/me', '/app/rack?tab=apps', '/a/b#c'])('keeps the same-origin path %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    '//evil.test/x',
    '/\\evil.test',
    'https://evil.test/',
    'javascript:alert(1)',
    'evil.test',
    '/path with space',
    '/\tx',
    '',
    undefined,
    ['/a'],
  ])('falls back to the default for %p', (candidate) => {
    expect(safeReturnTo(candidate)).toBe(DEFAULT_RETURN_TO);
  });
});
