import type { HttpRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';

export const registryRoutes: HttpRoute[] = [
  { method: 'GET', pattern: '/registries', handle: (ex) => ex.json(ex.rack.state.registries) },
  {
    method: 'POST',
    pattern: '/registries',
    handle: (ex) => {
      const server = ex.value('server');
      const username = ex.value('username');
      const password = ex.value('password');
      if (!server || !username || !password)
        throw RackError.badRequest('server, username and password are required');
      const registry = { server, username, password };
      const { state } = ex.rack;
      state.registries = [...state.registries.filter((r) => r.server !== server), registry];
      ex.json(registry);
    },
  },
  {
    // The server may contain `/` and `:` (e.g. `ghcr.io:443`); mux matches on the decoded path.
    method: 'DELETE',
    pattern: '/registries/{server:.*}',
    handle: (ex) => {
      const { state } = ex.rack;
      const server = ex.param('server');
      if (!state.registries.some((r) => r.server === server))
        throw RackError.notFound(`no such registry: ${server}`);
      state.registries = state.registries.filter((r) => r.server !== server);
      ex.ok();
    },
  },
];

/**
 * Just enough of the Docker registry v2 API for a client to see a registry: the version check answers,
 * uploads are drained and accepted, everything else is "unknown" in registry error form.
 */
export const registryProxyRoutes: HttpRoute[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map(
  (method) => ({
    method,
    pattern: '/v2/{path:.*}',
    streamsBody: true,
    handle: async (ex) => {
      await ex.discardBody();
      ex.res.setHeader('Docker-Distribution-Api-Version', 'registry/2.0');
      if (ex.param('path') === '' && (method === 'GET' || method === 'HEAD')) return ex.json({});
      if (method === 'PATCH' || method === 'PUT' || method === 'POST') return ex.empty(202);
      ex.json(
        { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: {} }] },
        404,
      );
    },
  }),
);
