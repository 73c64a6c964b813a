import type { HttpExchange } from '../http/http-exchange';
import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { restartService, scaleService } from '../state/deploy-flow';
import { sampleMetrics } from '../state/sample-metrics';
import { kubectlLine } from '../streams/log-lines';
import { readLogOptions } from '../streams/log-options';
import { streamPodLogs } from '../streams/log-streams';

function target(ex: HttpExchange) {
  const record = ex.rack.state.requireApp(ex.param('app'));
  const service = ex.rack.state.requireService(record, ex.param('service'));
  return { record, service };
}

function nonNegative(ex: HttpExchange, name: string): number | undefined {
  const value = ex.integer(name);
  if (value !== undefined && value < 0) throw RackError.badRequest(`${name} must not be negative`);
  return value;
}

/** Console-only overrides need write access even for callers whose role passed the route check. */
function requireWrite(ex: HttpExchange): void {
  if (!ex.role.includes('w')) throw RackError.forbidden('this action requires write access');
}

export const serviceRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/services',
    handle: (ex) => ex.json(ex.rack.state.requireApp(ex.param('app')).services),
  },
  {
    // `convox scale` sends count/cpu/memory as form fields.
    method: 'PUT',
    pattern: '/apps/{app}/services/{service}',
    handle: (ex) => {
      const { record, service } = target(ex);
      const min = nonNegative(ex, 'min');
      const max = nonNegative(ex, 'max');
      if (min !== undefined && max !== undefined && min > max)
        throw RackError.badRequest('min must not exceed max');
      scaleService(ex.rack.state, record, service, {
        count: nonNegative(ex, 'count'),
        cpu: nonNegative(ex, 'cpu'),
        memory: nonNegative(ex, 'memory'),
        gpu: nonNegative(ex, 'gpu'),
        gpuVendor: ex.field('gpu-vendor'),
        min,
        max,
      });
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/restart',
    handle: (ex) => {
      const { record, service } = target(ex);
      restartService(record, service);
      ex.ok();
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/services/{service}/metrics',
    handle: (ex) => {
      target(ex);
      ex.json(sampleMetrics(ex.field('metrics')?.split(',').filter(Boolean) ?? ['gpu-util', 'gpu-mem-used']));
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/scale-override',
    handle: (ex) => {
      requireWrite(ex);
      const { service } = target(ex);
      const active = ex.flag('active');
      if (active === undefined) throw RackError.badRequest('active is required');
      service['scale-override-active'] = active;
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/triggers/enable',
    handle: (ex) => {
      requireWrite(ex);
      const { service } = target(ex);
      try {
        JSON.parse(ex.field('opts') ?? '');
      } catch {
        throw RackError.badRequest('opts must be a JSON object');
      }
      service['triggers-override-active'] = true;
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/triggers/disable',
    handle: (ex) => {
      requireWrite(ex);
      target(ex).service['triggers-override-active'] = false;
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/triggers/threshold',
    handle: (ex) => {
      requireWrite(ex);
      target(ex);
      if (!ex.field('type') || ex.integer('threshold') === undefined) {
        throw RackError.badRequest('type and threshold are required');
      }
      ex.ok();
    },
  },
];

export const serviceSockets: SocketRoute[] = [
  {
    pattern: '/apps/{app}/services/{service}/logs',
    handle: async (session) => {
      const { state } = session.rack;
      const record = state.requireApp(session.params.app);
      const service = state.requireService(record, session.params.service);
      const { prefix } = readLogOptions(session);
      await streamPodLogs(
        session,
        () => record.fleet.list().filter((p) => p.name === service.name),
        (pod, at, message, sequence) => kubectlLine(pod, at, message, prefix, sequence),
        `no resources found in dev-rack-${record.app.name} namespace`,
      );
    },
  },
];
