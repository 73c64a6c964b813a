import type { ConvoxRoute } from '../rbac/convox-routes';

/**
 * Rack calls that cannot be undone, forwarded only while the `proxy.allow_destructive_actions` setting is
 * on: deleting an app (its services, releases and env), terminating an instance, and deleting a rack
 * resource (a database and its data). The rack API has no uninstall route; these are its nearest kin.
 * Stopping a process is not here: the app restarts it. Each entry must be a row of CONVOX_ROUTES (a unit
 * test checks it).
 */
export const DESTRUCTIVE_ROUTES: readonly { method: string; pattern: string }[] = [
  { method: 'DELETE', pattern: '/apps/:app' },
  { method: 'DELETE', pattern: '/instances/:id' },
  { method: 'DELETE', pattern: '/resources/:name' },
];

export function isDestructiveRoute(route: Pick<ConvoxRoute, 'method' | 'pattern'>): boolean {
  return DESTRUCTIVE_ROUTES.some((entry) => entry.method === route.method && entry.pattern === route.pattern);
}

export const DESTRUCTIVE_ACTIONS_DISABLED =
  'destructive actions are disabled by the proxy.allow_destructive_actions setting';
