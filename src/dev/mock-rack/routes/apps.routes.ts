import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { createApp } from '../state/deploy-flow';
import { sampleMetrics } from '../state/sample-metrics';
import { kubectlLine } from '../streams/log-lines';
import { streamPodLogs } from '../streams/log-streams';
import { readLogOptions } from '../streams/log-options';

/** `parameters` arrives as a url-encoded query string inside one form field (spec §1.4). */
function decodeParameterMap(encoded: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(encoded ?? ''));
}

export const appRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps',
    handle: (ex) =>
      ex.json(
        [...ex.rack.state.apps.values()].map((r) => r.app).sort((a, b) => a.name.localeCompare(b.name)),
      ),
  },
  {
    method: 'POST',
    pattern: '/apps',
    handle: (ex) => {
      const name = ex.value('name');
      if (!name) throw RackError.badRequest('name is required');
      ex.json(createApp(ex.rack.state, name).app);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{name}',
    handle: (ex) => ex.json(ex.rack.state.requireApp(ex.param('name')).app),
  },
  {
    method: 'PUT',
    pattern: '/apps/{name}',
    handle: (ex) => {
      const { app } = ex.rack.state.requireApp(ex.param('name'));
      const lock = ex.flag('lock');
      if (lock !== undefined) app.locked = lock;
      if (ex.field('parameters') !== undefined) {
        Object.assign(app.parameters, decodeParameterMap(ex.field('parameters')));
      }
      ex.ok();
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{name}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('name'));
      if (record.app.locked) throw RackError.forbidden(`app is locked: ${record.app.name}`);
      ex.rack.state.apps.delete(record.app.name);
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{name}/cancel',
    handle: (ex) => {
      const { app } = ex.rack.state.requireApp(ex.param('name'));
      if (app.status !== 'updating') throw RackError.forbidden('app is not updating');
      app.status = 'running';
      ex.ok();
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/diagnose',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json({
        app: record.app.name,
        namespace: `dev-rack-${record.app.name}`,
        summary: { healthy: record.fleet.list().length, unhealthy: 0, pending: 0 },
        pods: record.fleet
          .list()
          .map((p) => ({ name: p.id, service: p.name, status: p.status, restarts: 0 })),
        events: [],
      });
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/manifest/services/{service}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const service = ex.rack.state.requireService(record, ex.param('service'));
      ex.json({
        name: service.name,
        build: { path: '.', manifest: 'Dockerfile' },
        command: record.commands[service.name] ?? '',
        port: { port: service.ports[0]?.container ?? 0, scheme: 'http' },
        scale: {
          count: { min: service.count, max: service.count },
          cpu: service.cpu,
          memory: service.memory,
        },
      });
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{name}/metrics',
    handle: (ex) => {
      ex.rack.state.requireApp(ex.param('name'));
      const names = ex.field('metrics')?.split(',').filter(Boolean) ?? ['cpu', 'mem'];
      ex.json(sampleMetrics(names));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/metrics-by-service',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const wanted = ex.field('services')?.split(',').filter(Boolean);
      const names = ex.field('metrics')?.split(',').filter(Boolean) ?? ['gpu-util'];
      const services = record.services.filter((s) => !wanted || wanted.includes(s.name));
      ex.json(services.map((s) => ({ name: s.name, metrics: sampleMetrics(names) })));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/configs',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json([...record.configs].map(([name, value]) => ({ name, value })));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/configs/{name}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const value = record.configs.get(ex.param('name'));
      if (value === undefined) throw RackError.notFound(`app config not found: ${ex.param('name')}`);
      ex.json({ name: ex.param('name'), value });
    },
  },
  {
    method: 'PUT',
    pattern: '/apps/{app}/configs/{name}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const encoded = ex.value('value') ?? '';
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw RackError.badRequest('value must be base64 encoded');
      record.configs.set(ex.param('name'), Buffer.from(encoded, 'base64').toString('utf8'));
      ex.ok();
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/balancers',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const exposed = record.services.filter((s) => s.ports.length > 0);
      ex.json(
        exposed.map((s) => ({
          name: s.name,
          endpoint: s.domain,
          service: s.name,
          ports: s.ports.map((p) => ({ protocol: 'https', source: p.balancer, target: p.container })),
        })),
      );
    },
  },
];

export const appSockets: SocketRoute[] = [
  {
    pattern: '/apps/{name}/logs',
    handle: async (session) => {
      const record = session.rack.state.requireApp(session.params.name);
      const { prefix } = readLogOptions(session);
      await streamPodLogs(
        session,
        () => record.fleet.list(),
        (pod, at, message, sequence) => kubectlLine(pod, at, message, prefix, sequence),
        `no resources found in dev-rack-${record.app.name} namespace`,
      );
    },
  },
];
