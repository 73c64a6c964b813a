import { ALL_PERMISSIONS } from './permission-catalog';
import { expandPatterns, patternGrants } from './permission-match';

describe('patternGrants', () => {
  it.each([
    ['convox:app:list', 'convox:app:list', true],
    ['convox:app:*', 'convox:app:delete', true],
    ['convox:*:read', 'convox:build:read', true],
    ['convox:*:*', 'convox:env:set', true],
    ['convox:app:list', 'convox:app:read', false],
    ['convox:app:*', 'convox:build:list', false],
    ['convox:*:read', 'convox:build:list', false],
    ['*', 'convox:app:list', false],
    ['*:*', 'convox:app:list', false],
    ['*:*:*:*', 'convox:app:list', false],
    ['convox:*', 'convox:app:list', false],
    ['convox::list', 'convox::list', false],
    ['Convox:app:list', 'convox:app:list', false],
  ])('%s grants %s: %s', (pattern, permission, expected) => {
    expect(patternGrants(pattern, permission)).toBe(expected);
  });

  it('does not let convox:*:* reach other scopes (the original let it match everything)', () => {
    expect(patternGrants('convox:*:*', 'gateway:user:delete')).toBe(false);
    expect(patternGrants('convox:*:*', 'gateway:user:delete')).toBe(false);
  });
});

describe('expandPatterns', () => {
  it('expands a resource wildcard to exactly that resource’s catalog permissions', () => {
    expect(expandPatterns(['convox:release:*'])).toEqual([
      'convox:release:create',
      'convox:release:list',
      'convox:release:promote',
      'convox:release:read',
    ]);
  });

  it('expands convox:*:* to every convox permission and nothing else', () => {
    const expanded = expandPatterns(['convox:*:*']);
    expect(expanded).toEqual(ALL_PERMISSIONS.filter((p) => p.startsWith('convox:')).sort());
    expect(expanded.some((p) => p.startsWith('gateway:'))).toBe(false);
  });

  it('grants nothing for unknown strings, a bare star or an empty list', () => {
    expect(expandPatterns(['*', 'convox:app:frobnicate', 'nonsense', ''])).toEqual([]);
    expect(expandPatterns([])).toEqual([]);
  });

  it('deduplicates overlapping patterns and sorts the result', () => {
    const expanded = expandPatterns(['convox:app:list', 'convox:app:*', 'convox:*:list']);
    expect(new Set(expanded).size).toBe(expanded.length);
    expect([...expanded].sort()).toEqual(expanded);
    expect(expanded).toContain('convox:build:list');
    expect(expanded).toContain('convox:app:delete');
  });
});
