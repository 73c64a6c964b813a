import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { roleFromName } from '../http/rack-jwt';
import { sampleMetrics } from '../state/sample-metrics';

export const systemRoutes: HttpRoute[] = [
  { method: 'GET', pattern: '/auth', handle: (ex) => ex.ok() },
  { method: 'GET', pattern: '/system', handle: (ex) => ex.json(ex.rack.state.system) },
  {
    // A k8s v3 rack refuses every update through this API (params change through terraform or Console).
    method: 'PUT',
    pattern: '/system',
    handle: () => {
      throw RackError.notImplemented(
        "direct rack doesn't support update, make sure you are not using RACK_URL environment variable",
      );
    },
  },
  {
    method: 'GET',
    pattern: '/system/metrics',
    handle: (ex) => ex.json(sampleMetrics(ex.field('metrics')?.split(',').filter(Boolean) ?? ['cpu', 'mem'])),
  },
  {
    method: 'GET',
    pattern: '/system/processes',
    handle: (ex) => {
      const { state } = ex.rack;
      const appPods = ex.flag('all') ? [...state.apps.values()].flatMap((r) => r.fleet.list()) : [];
      ex.json([...state.systemProcesses, ...appPods]);
    },
  },
  {
    method: 'GET',
    pattern: '/system/releases',
    handle: () => {
      throw RackError.notImplemented('release history is unavailable');
    },
  },
  {
    method: 'GET',
    pattern: '/system/capacity',
    handle: (ex) => {
      const { state } = ex.rack;
      const pods = [...state.apps.values()].flatMap((r) => r.fleet.list());
      const services = [...state.apps.values()].flatMap((r) => r.services);
      ex.json({
        'cluster-cpu': state.instances.length * 2000,
        'cluster-gpu': 0,
        'cluster-memory': state.instances.length * 7680,
        'process-count': pods.length,
        'process-cpu': services.reduce((sum, s) => sum + s.cpu * s.count, 0),
        'process-gpu': 0,
        'process-memory': services.reduce((sum, s) => sum + s.memory * s.count, 0),
      });
    },
  },
  {
    method: 'PUT',
    pattern: '/system/jwt/rotate',
    handle: (ex) => {
      if (!ex.role.includes('a')) throw RackError.forbidden('rotating the signing key requires admin access');
      ex.rack.jwt.rotate();
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/system/jwt/token',
    handle: (ex) => {
      const role = roleFromName(ex.value('role') ?? '');
      if (!role) throw RackError.badRequest('role must be one of read, write, admin');
      if (role === 'rwa' && !ex.role.includes('a'))
        throw RackError.forbidden('only an admin can mint admin tokens');
      const hours = ex.integer('durationInHour', 'value') ?? 1;
      if (hours < 1 || hours > 8760) throw RackError.badRequest('durationInHour must be between 1 and 8760');
      ex.json({ token: ex.rack.jwt.mint(ex.header('Convox-Actor') ?? 'rack-password', role, hours) });
    },
  },
  { method: 'POST', pattern: '/system/karpenter/cleanup', handle: (ex) => ex.ok() },
  {
    method: 'POST',
    pattern: '/events',
    handle: (ex) => {
      if (!ex.value('action')) throw RackError.badRequest('action is required');
      ex.ok();
    },
  },
];

export const systemSockets: SocketRoute[] = [
  // k8s v3 racks do not implement rack logs; they say so in-band.
  { pattern: '/system/logs', handle: (session) => session.fail('unimplemented') },
];
