import { CONVOX_ROUTES } from '../../rbac/convox-routes';
import { DEPLOY_STEPS, deployStepOf } from './deploy-steps';

const routeFor = (method: string, pattern: string) => {
  const route = CONVOX_ROUTES.find(
    (r) => r.pattern === pattern && (r.method === method || (method === 'SOCKET' && r.method === 'SOCKET')),
  );
  if (!route) throw new Error(`no route ${method} ${pattern}`);
  return route;
};

describe('deploy steps', () => {
  it('names only routes that exist in the route table', () => {
    for (const step of DEPLOY_STEPS) expect(() => routeFor(step.method, step.pattern)).not.toThrow();
  });

  it('classifies the calls a deploy makes', () => {
    expect(
      deployStepOf(routeFor('POST', '/apps/:app/objects/*key'), 'POST', { app: 'myapp', key: 'tmp/abc.tgz' }),
    ).toEqual({ kind: 'object-upload', app: 'myapp', objectKey: 'tmp/abc.tgz' });
    expect(deployStepOf(routeFor('POST', '/apps/:app/builds'), 'POST', { app: 'myapp' })).toEqual({
      kind: 'build-create',
      app: 'myapp',
    });
    expect(
      deployStepOf(routeFor('POST', '/apps/:app/releases/:id/promote'), 'POST', { app: 'a', id: 'R1' }),
    ).toEqual({ kind: 'release-promote', app: 'a', target: 'R1' });
    expect(
      deployStepOf(routeFor('SOCKET', '/apps/:app/processes/:pid/exec'), 'SOCKET', { app: 'a', pid: 'p1' }),
    ).toEqual({ kind: 'process-exec', app: 'a', target: 'p1' });
  });

  it('leaves every other route ungated', () => {
    expect(deployStepOf(routeFor('POST', '/apps/:app/releases'), 'POST', { app: 'a' })).toBeNull();
    expect(deployStepOf(routeFor('DELETE', '/apps/:app'), 'DELETE', { app: 'a' })).toBeNull();
    expect(
      deployStepOf(routeFor('GET', '/apps/:app/builds/:id.tgz'), 'GET', { app: 'a', id: 'B1' }),
    ).toBeNull();
  });

  it('gates source uploads only under tmp/', () => {
    const upload = routeFor('POST', '/apps/:app/objects/*key');
    expect(deployStepOf(upload, 'POST', { app: 'a', key: 'config/secrets.env' })).toBeNull();
    expect(deployStepOf(upload, 'POST', { app: 'a', key: 'tmp/../x' })).toBeNull();
  });
});
