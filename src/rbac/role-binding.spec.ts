import { appInScope, bindingsOf, describeBinding } from './role-binding';

describe('appInScope', () => {
  it.each([
    [['web-*'], 'web-1', true],
    [['web-*'], 'web-', true],
    [['web-*'], 'api', false],
    [['web-*'], 'myweb-1', false],
    [['api', 'web-1'], 'web-1', true],
    [['*'], 'anything', true],
    [['a*b'], 'a-x-b', true],
    [['a*b'], 'a-x-bc', false],
    [['web-1'], 'web-12', false],
  ])('%j holds on %s → %s', (patterns, app, expected) => {
    expect(appInScope(patterns, app)).toBe(expected);
  });
});

describe('bindingsOf / describeBinding', () => {
  it('lists unscoped roles first, then scoped ones', () => {
    const bindings = bindingsOf({ roles: ['viewer'], scopedRoles: [{ role: 'deployer', apps: ['web-*'] }] });
    expect(bindings).toEqual([{ role: 'viewer' }, { role: 'deployer', apps: ['web-*'] }]);
    expect(bindings.map(describeBinding)).toEqual(['viewer', 'deployer on web-*']);
  });
});
