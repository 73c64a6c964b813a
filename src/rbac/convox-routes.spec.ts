import { CODE_CHECKED_PERMISSIONS } from './code-checked-permissions';
import { CONVOX_ROUTES } from './convox-routes';
import { ALL_PERMISSIONS } from './permission-catalog';

// Permissions the proxy checks in code rather than through a route.
const CHECKED_IN_CODE = Object.keys(CODE_CHECKED_PERMISSIONS).filter((p) => p.startsWith('convox:'));

describe('the Convox route table', () => {
  it('covers every rack route of the spec (about a hundred) plus the CLI probes', () => {
    expect(CONVOX_ROUTES.length).toBeGreaterThanOrEqual(100);
  });

  it('uses every convox permission of the catalog, except those checked in code', () => {
    const used = new Set(CONVOX_ROUTES.map((route) => route.permission));
    const unused = ALL_PERMISSIONS.filter((p) => p.startsWith('convox:') && !used.has(p));
    expect(unused.sort()).toEqual([...CHECKED_IN_CODE].sort());
  });

  it('leaves only probes without a permission', () => {
    const open = CONVOX_ROUTES.filter((route) => route.permission === null);
    expect(open.map((route) => `${route.method} ${route.pattern}`)).toEqual(['GET /racks', 'GET /machines']);
    expect(open.every((route) => route.kind === 'probe')).toBe(true);
  });

  it('marks SOCKET rows, and only them, as websockets', () => {
    for (const route of CONVOX_ROUTES) {
      expect({ route: route.pattern, socket: route.method === 'SOCKET' }).toEqual({
        route: route.pattern,
        socket: route.kind === 'websocket',
      });
    }
  });

  it('names a path parameter for every audit resource', () => {
    for (const route of CONVOX_ROUTES.filter((r) => r.resource)) {
      const names = route.pattern.match(/[:*][a-z]+/g)?.map((token) => token.slice(1)) ?? [];
      expect({
        pattern: route.pattern,
        param: route.resource?.param,
        known: names.includes(route.resource!.param),
      }).toMatchObject({ known: true });
    }
  });

  it('marks plain reads as not mutating and deletions as mutating', () => {
    for (const route of CONVOX_ROUTES) {
      if (route.method === 'GET')
        expect({ p: route.pattern, mutating: route.mutating }).toMatchObject({ mutating: false });
      if (route.method === 'DELETE')
        expect({ p: route.pattern, mutating: route.mutating }).toMatchObject({ mutating: true });
    }
  });

  it('gives the dangerous pass-throughs permissions no route for normal work shares', () => {
    const dangerous = [
      '/v2/*path',
      '/custom/http/proxy/*path',
      '/proxy/:host/:port',
      '/instances/:id/shell',
      '/system/jwt/token',
    ];
    for (const pattern of dangerous) {
      const permission = CONVOX_ROUTES.find((r) => r.pattern === pattern)?.permission;
      expect(permission).toBeTruthy();
      expect(CONVOX_ROUTES.filter((r) => r.permission === permission).map((r) => r.pattern)).toEqual([
        pattern,
      ]);
    }
  });

  it('has no row for the Kubernetes API or the v2-era environment routes', () => {
    const patterns = CONVOX_ROUTES.map((route) => route.pattern);
    expect(patterns.filter((p) => p.startsWith('/kubernetes') || p.includes('/environment'))).toEqual([]);
  });

  it('avoids the words CASL treats as wildcards', () => {
    expect(ALL_PERMISSIONS.filter((p) => p.endsWith(':manage') || p.split(':')[1] === 'all')).toEqual([]);
  });
});
