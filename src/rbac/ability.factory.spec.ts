import { AbilityFactory } from './ability.factory';
import { ALL_PERMISSIONS } from './permission-catalog';
import { expandPatterns } from './permission-match';
import { ROLE_NAMES, rolePermissions } from './roles';
import { tokenOf, userWithRoles } from './testing/test-principals';

const factory = new AbilityFactory();
const user = userWithRoles;
const token = tokenOf;

describe('AbilityFactory.forPrincipal', () => {
  it('lets a deployer set env but not delete apps', () => {
    const ability = factory.forPrincipal(user(['deployer']));
    expect(ability.can('convox:env:set')).toBe(true);
    expect(ability.can('convox:app:delete')).toBe(false);
  });

  it('gives admin every catalog permission, gateway ones included', () => {
    const ability = factory.forPrincipal(user(['admin']));
    expect(ALL_PERMISSIONS.filter((p) => !ability.can(p))).toEqual([]);
  });

  it('answers no for patterns, unknown strings and a bare star, even for admin', () => {
    const ability = factory.forPrincipal(user(['admin']));
    for (const asked of ['convox:*:*', 'convox:app:*', '*', 'convox:app:frobnicate', 'all', 'convox:app']) {
      expect({ asked, can: ability.can(asked) }).toEqual({ asked, can: false });
    }
  });

  it('grants a user with no roles nothing', () => {
    expect(factory.forPrincipal(user([])).permissions).toEqual([]);
  });

  it('judges a token by its own permissions, not by its owner’s roles', () => {
    const ability = factory.forPrincipal(token(['admin'], ['convox:app:list']));
    expect(ability.can('convox:app:list')).toBe(true);
    expect(ability.can('convox:app:read')).toBe(false);
    expect(ability.permissions).toEqual(['convox:app:list']);
  });

  it('bounds a token by its owner’s current roles even when it claims more', () => {
    const ability = factory.forPrincipal(token(['viewer'], ['convox:*:*', 'gateway:*:*']));
    expect(ability.can('convox:app:list')).toBe(true);
    expect(ability.can('convox:env:set')).toBe(false);
    expect(ability.can('gateway:user:delete')).toBe(false);
    expect(ability.permissions).toEqual(expandPatterns(rolePermissions('viewer')));
  });

  it('gives a token of an owner who lost every role nothing', () => {
    expect(factory.forPrincipal(token([], ['convox:*:*'])).permissions).toEqual([]);
  });
});

describe('AbilityFactory.effectiveTokenPermissions', () => {
  // Every role × every role preset as a token: the token never exceeds its owner.
  it.each(ROLE_NAMES.flatMap((owner) => ROLE_NAMES.map((preset) => [owner, preset] as const)))(
    'a %s owner minting a %s-preset token gets at most what the owner holds',
    (owner, preset) => {
      const ownerPermissions = new Set(expandPatterns(rolePermissions(owner)));
      const effective = factory.effectiveTokenPermissions(rolePermissions(preset), rolePermissions(owner));
      expect(effective.filter((p) => !ownerPermissions.has(p))).toEqual([]);
      expect(effective).toEqual(
        expandPatterns(rolePermissions(preset)).filter((permission) => ownerPermissions.has(permission)),
      );
    },
  );

  it('lets a deployer mint a working cicd token', () => {
    const effective = factory.effectiveTokenPermissions(rolePermissions('cicd'), rolePermissions('deployer'));
    expect(effective).toEqual(expandPatterns(rolePermissions('cicd')));
  });

  it('narrows wildcards to the owner’s holdings', () => {
    expect(factory.effectiveTokenPermissions(['convox:release:*'], rolePermissions('ops'))).toEqual([
      'convox:release:list',
      'convox:release:read',
    ]);
  });
});
