import type { HttpRoute, SocketRoute } from '../http/route-table';
import { appResourceRoutes, appResourceSockets } from './app-resources.routes';
import { appRoutes, appSockets } from './apps.routes';
import { budgetRoutes } from './budget.routes';
import { buildRoutes, buildSockets } from './builds.routes';
import { certificateRoutes } from './certificates.routes';
import { instanceRoutes, instanceSockets } from './instances.routes';
import { customProxyRoutes, networkSockets } from './network.routes';
import { objectRoutes } from './objects.routes';
import { processRoutes, processSockets } from './processes.routes';
import { rackResourceRoutes } from './rack-resources.routes';
import { registryProxyRoutes, registryRoutes } from './registries.routes';
import { releaseRoutes } from './releases.routes';
import { serviceRoutes, serviceSockets } from './services.routes';
import { systemRoutes, systemSockets } from './system.routes';

/** Registration order matters where patterns overlap (`builds/{id}.tgz` before `builds/{id}`). */
export const HTTP_ROUTES: HttpRoute[] = [
  ...appRoutes,
  ...budgetRoutes,
  ...buildRoutes,
  ...objectRoutes,
  ...processRoutes,
  ...releaseRoutes,
  ...serviceRoutes,
  ...appResourceRoutes,
  ...rackResourceRoutes,
  ...certificateRoutes,
  ...instanceRoutes,
  ...registryRoutes,
  ...systemRoutes,
  ...customProxyRoutes,
  ...registryProxyRoutes,
];

export const SOCKET_ROUTES: SocketRoute[] = [
  ...appSockets,
  ...buildSockets,
  ...processSockets,
  ...serviceSockets,
  ...appResourceSockets,
  ...instanceSockets,
  ...systemSockets,
  ...networkSockets,
];
