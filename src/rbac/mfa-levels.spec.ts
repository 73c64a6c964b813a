import { MFA_LEVELS, mfaLevelFor, permissionsWithoutMfaLevel } from './mfa-levels';
import { PERMISSION_CATALOG } from './permission-catalog';

describe('MFA levels', () => {
  it('gives every non-read permission an explicit level', () => {
    expect(permissionsWithoutMfaLevel()).toEqual([]);
  });

  it('names only permissions of the catalog', () => {
    const known = new Set<string>(PERMISSION_CATALOG.map((p) => p.name));
    expect(Object.keys(MFA_LEVELS).filter((name) => !known.has(name))).toEqual([]);
  });

  it('asks nothing for reads and a verification on the request for the riskiest actions', () => {
    expect(mfaLevelFor('convox:app:list')).toBe('none');
    expect(mfaLevelFor('convox:release:read')).toBe('none');
    expect(mfaLevelFor('convox:env:set')).toBe('step_up');
    expect(mfaLevelFor('convox:release:promote')).toBe('step_up');
    expect(mfaLevelFor('convox:process:exec')).toBe('step_up');
    expect(mfaLevelFor('gateway:token:create')).toBe('step_up');
    for (const p of [
      'convox:app:delete',
      'convox:instance:terminate',
      'gateway:user:update',
      'gateway:settings:update',
      'gateway:role:update',
    ])
      expect(mfaLevelFor(p)).toBe('always');
  });

  it('treats an unlisted write as step_up (closed) and no permission as none', () => {
    expect(mfaLevelFor('gateway:widget:explode')).toBe('step_up');
    expect(mfaLevelFor(null)).toBe('none');
  });
});
