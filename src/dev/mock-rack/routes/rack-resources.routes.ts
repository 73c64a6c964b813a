import type { HttpRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { RESOURCE_TYPES } from '../state/seed-rack';

const RESOURCE_NAME = /^[a-z][a-z0-9-]*$/;

function decodeParameterMap(encoded: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(encoded ?? ''));
}

export const rackResourceRoutes: HttpRoute[] = [
  { method: 'GET', pattern: '/resources', handle: (ex) => ex.json(ex.rack.state.rackResources) },
  // A real API call listing resource types, not CORS; it needs the write role like every non-GET.
  { method: 'OPTIONS', pattern: '/resources', handle: (ex) => ex.json(RESOURCE_TYPES) },
  {
    method: 'POST',
    pattern: '/resources',
    handle: (ex) => {
      const { state } = ex.rack;
      const kind = ex.value('kind') ?? '';
      const type = RESOURCE_TYPES.find((t) => t.name === kind);
      if (!type) throw RackError.badRequest(`invalid resource type: ${kind}`);
      const name = ex.field('name') || `${kind}-${state.rackResources.length + 1}`;
      if (!RESOURCE_NAME.test(name)) throw RackError.badRequest(`invalid resource name: ${name}`);
      if (state.rackResources.some((r) => r.name === name))
        throw new RackError(409, `resource already exists: ${name}`);
      const defaults = Object.fromEntries(type.parameters.map((p) => [p.name, p.default]));
      const resource = {
        name,
        type: kind,
        url: `${kind}://${name}.dev-rack.svc.cluster.local`,
        status: 'running',
        parameters: { ...defaults, ...decodeParameterMap(ex.field('parameters')) },
        apps: [],
      };
      state.rackResources.push(resource);
      ex.json(resource);
    },
  },
  {
    method: 'GET',
    pattern: '/resources/{name}',
    handle: (ex) => ex.json(ex.rack.state.requireRackResource(ex.param('name'))),
  },
  {
    method: 'PUT',
    pattern: '/resources/{name}',
    handle: (ex) => {
      const resource = ex.rack.state.requireRackResource(ex.param('name'));
      resource.parameters = { ...resource.parameters, ...decodeParameterMap(ex.field('parameters')) };
      ex.json(resource);
    },
  },
  {
    method: 'DELETE',
    pattern: '/resources/{name}',
    handle: (ex) => {
      const resource = ex.rack.state.requireRackResource(ex.param('name'));
      ex.rack.state.rackResources = ex.rack.state.rackResources.filter((r) => r !== resource);
      ex.ok();
    },
  },
  {
    method: 'POST',
    pattern: '/resources/{name}/links',
    handle: (ex) => {
      const resource = ex.rack.state.requireRackResource(ex.param('name'));
      const app = ex.rack.state.requireApp(ex.value('app') ?? '').app;
      resource.apps = [...(resource.apps ?? []).filter((a) => a.name !== app.name), app];
      ex.json(resource);
    },
  },
  {
    method: 'DELETE',
    pattern: '/resources/{name}/links/{app}',
    handle: (ex) => {
      const resource = ex.rack.state.requireRackResource(ex.param('name'));
      if (!(resource.apps ?? []).some((a) => a.name === ex.param('app'))) {
        throw RackError.notFound(`resource ${resource.name} is not linked to ${ex.param('app')}`);
      }
      resource.apps = (resource.apps ?? []).filter((a) => a.name !== ex.param('app'));
      ex.json(resource);
    },
  },
];
