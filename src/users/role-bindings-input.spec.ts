import { HttpException } from '@nestjs/common';
import { normalizeBindings, requestedBindings } from './role-bindings-input';

const assignable = ['viewer', 'ops', 'deployer', 'admin', 'release-reader'];

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as HttpException).getResponse();
  }
  throw new Error('expected a refusal');
}

describe('normalizeBindings', () => {
  it('splits unscoped roles from scoped ones, merging apps and letting "everywhere" win', () => {
    expect(
      normalizeBindings(
        [
          { role: 'Viewer' },
          { role: 'deployer', apps: ['web-*'] },
          { role: 'deployer', apps: ['api', 'web-*'] },
          { role: 'ops', apps: ['web-1'] },
          { role: 'ops' },
        ],
        assignable,
      ),
    ).toEqual({ roles: ['ops', 'viewer'], scopedRoles: [{ role: 'deployer', apps: ['api', 'web-*'] }] });
  });

  it.each([
    [[], 'roles_required'],
    [[{ role: 'cicd' }], 'invalid_role'],
    [[{ role: 'root' }], 'invalid_role'],
    [[{ role: 'deployer', apps: [] }], 'invalid_binding'],
    [[{ role: 'deployer', apps: ['Web 1'] }], 'invalid_binding'],
    [[{ role: 'admin', apps: ['web-*'] }], 'invalid_binding'],
  ])('refuses %j with %s', (input, code) => {
    expect(errorOf(() => normalizeBindings(input, assignable))).toMatchObject({ error: code });
  });
});

describe('requestedBindings', () => {
  it('reads the plain roles list as unscoped bindings and refuses both forms at once', () => {
    expect(requestedBindings({ roles: ['viewer'] })).toEqual([{ role: 'viewer' }]);
    expect(requestedBindings({})).toBeUndefined();
    expect(
      errorOf(() => requestedBindings({ roles: ['viewer'], bindings: [{ role: 'ops' }] })),
    ).toMatchObject({
      error: 'invalid_binding',
    });
  });
});
