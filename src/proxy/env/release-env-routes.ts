import type { ConvoxRoute } from '../../rbac/convox-routes';

/** Release routes whose JSON carries env text (masked on the way back). */
const ENV_BEARING = new Set([
  'GET /apps/:app/releases',
  'GET /apps/:app/releases/:id',
  'POST /apps/:app/releases',
]);

export function carriesReleaseEnv(route: ConvoxRoute): boolean {
  return ENV_BEARING.has(`${route.method} ${route.pattern}`);
}

/** `POST /apps/:app/releases`: how `convox env set/unset/edit` change env on a v3 rack. */
export function createsRelease(route: ConvoxRoute): boolean {
  return route.method === 'POST' && route.pattern === '/apps/:app/releases';
}
