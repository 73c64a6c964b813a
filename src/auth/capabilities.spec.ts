import { AbilityFactory } from '../rbac/ability.factory';
import { permissionsForRoles } from '../rbac/roles';
import { capabilitiesOf, navigationFor } from './capabilities';

const abilityOf = (role: string) => new AbilityFactory().forPermissions(permissionsForRoles([role]));

describe('console capabilities and navigation', () => {
  it.each([
    ['viewer', ['rack', 'apps', 'tokens', 'sessions', 'security']],
    ['ops', ['rack', 'apps', 'tokens', 'sessions', 'security']],
    [
      'admin',
      [
        'rack',
        'apps',
        'approvals',
        'users',
        'roles',
        'access',
        'tokens',
        'sessions',
        'security',
        'audit',
        'settings',
      ],
    ],
  ])('offers a %s exactly the pages their permissions open', (role, pages) => {
    expect(navigationFor(abilityOf(role)).map((entry) => entry.id)).toEqual(pages);
  });

  it('lets only secret readers reveal secrets and only admins manage users', () => {
    expect(capabilitiesOf(abilityOf('ops')).rack).toMatchObject({ readEnv: true, readSecrets: false });
    expect(capabilitiesOf(abilityOf('admin')).rack.readSecrets).toBe(true);
    expect(capabilitiesOf(abilityOf('deployer')).users).toEqual({
      read: false,
      create: false,
      update: false,
      delete: false,
      lock: false,
    });
    expect(capabilitiesOf(abilityOf('admin')).users.lock).toBe(true);
  });

  it('offers the rack actions only to the roles whose permissions the proxy will check', () => {
    const actions = ({ scale, setEnv, promote }: { scale: boolean; setEnv: boolean; promote: boolean }) => ({
      scale,
      setEnv,
      promote,
    });
    expect(actions(capabilitiesOf(abilityOf('viewer')).rack)).toEqual({
      scale: false,
      setEnv: false,
      promote: false,
    });
    expect(actions(capabilitiesOf(abilityOf('ops')).rack)).toEqual({
      scale: false,
      setEnv: false,
      promote: false,
    });
    expect(actions(capabilitiesOf(abilityOf('deployer')).rack)).toEqual({
      scale: true,
      setEnv: true,
      promote: true,
    });
  });
});
