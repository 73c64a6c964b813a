import { CONVOX_ROUTES } from '../rbac/convox-routes';
import { DESTRUCTIVE_ROUTES, isDestructiveRoute } from './destructive-routes';

describe('destructive routes', () => {
  it.each(DESTRUCTIVE_ROUTES.map((r) => [`${r.method} ${r.pattern}`, r] as const))(
    '%s is a route of the table',
    (_name, entry) => {
      expect(
        CONVOX_ROUTES.some((route) => route.method === entry.method && route.pattern === entry.pattern),
      ).toBe(true);
    },
  );

  it('leaves stopping a process alone (the app restarts it)', () => {
    const stop = CONVOX_ROUTES.find((r) => r.permission === 'convox:process:terminate');
    expect(stop && isDestructiveRoute(stop)).toBe(false);
  });
});
