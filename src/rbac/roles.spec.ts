import { ALL_PERMISSIONS, isKnownPermission } from './permission-catalog';
import { expandPatterns } from './permission-match';
import { isHumanRole, permissionsForRoles, ROLE_NAMES, rolePermissions, ROLES } from './roles';

describe('role presets', () => {
  it('keep the original rack-gateway role contents (viewer 10, ops 16, deployer 25, cicd 10)', () => {
    const counts = Object.fromEntries(
      ['viewer', 'ops', 'deployer', 'cicd'].map((role) => [
        role,
        rolePermissions(role as 'viewer', { includeAdditions: false }).length,
      ]),
    );
    expect(counts).toEqual({ viewer: 10, ops: 16, deployer: 25, cicd: 10 });
  });

  // A change here is a permission change a reviewer must see (and docs/RBAC.md must explain).
  it('hold these flattened counts once our additions are included', () => {
    const counts = Object.fromEntries(
      ROLE_NAMES.map((role) => [role, expandPatterns(rolePermissions(role)).length]),
    );
    expect(counts).toEqual({ viewer: 14, ops: 26, deployer: 38, cicd: 10, admin: ALL_PERMISSIONS.length });
  });

  it('grant admin every catalog permission of every scope, explicitly', () => {
    expect(expandPatterns(rolePermissions('admin'))).toEqual([...ALL_PERMISSIONS].sort());
    expect(ROLES.admin.permissions).toEqual(['convox:*:*', 'gateway:*:*', 'auth:*:*', 'security:*:*']);
  });

  it('name only catalog permissions, except admin’s scope-wide wildcards', () => {
    for (const role of ROLE_NAMES.filter((r) => r !== 'admin')) {
      const unknown = rolePermissions(role).filter((p) => !isKnownPermission(p));
      expect({ role, unknown }).toEqual({ role, unknown: [] });
    }
  });

  it('let each role inherit everything its parent holds', () => {
    for (const role of ROLE_NAMES) {
      const parent = ROLES[role].inherits;
      if (!parent) continue;
      expect(rolePermissions(role)).toEqual(expect.arrayContaining(rolePermissions(parent)));
    }
  });

  it('keep secrets, user management and approving deploys away from every role but admin', () => {
    const adminOnly = [
      'convox:secret:read',
      'convox:secret:set',
      'gateway:user:update',
      'gateway:audit:read',
      'gateway:deploy_approval:approve',
    ];
    for (const role of ROLE_NAMES.filter((r) => r !== 'admin')) {
      const granted = expandPatterns(rolePermissions(role));
      expect(granted.filter((p) => adminOnly.includes(p))).toEqual([]);
    }
  });

  it('never give viewers resources or registries, whose objects carry credentials', () => {
    const viewer = expandPatterns(rolePermissions('viewer'));
    expect(viewer.filter((p) => /^convox:(resource|registry|env|secret|config):/.test(p))).toEqual([]);
  });
});

describe('isHumanRole', () => {
  it.each([
    ['viewer', true],
    ['ops', true],
    ['deployer', true],
    ['admin', true],
    ['cicd', false],
    ['root', false],
    ['Admin', false],
  ])('%s → %s', (role, expected) => {
    expect(isHumanRole(role)).toBe(expected);
  });
});

describe('permissionsForRoles', () => {
  it('returns the sorted union of the roles’ patterns', () => {
    const union = permissionsForRoles(['viewer', 'cicd']);
    expect(union).toContain('convox:log:read');
    expect(union).toContain('convox:instance:list');
    expect([...union].sort()).toEqual(union);
    expect(new Set(union).size).toBe(union.length);
  });

  it('ignores unknown role names', () => {
    expect(permissionsForRoles(['superuser', ''])).toEqual([]);
    expect(permissionsForRoles(['viewer', 'superuser'])).toEqual(permissionsForRoles(['viewer']));
  });
});
