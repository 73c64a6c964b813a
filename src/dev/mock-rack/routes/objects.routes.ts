import type { HttpExchange } from '../http/http-exchange';
import type { HttpRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';

function appAndKey(ex: HttpExchange): { app: string; key: string } {
  const app = ex.rack.state.requireApp(ex.param('app')).app.name;
  return { app, key: ex.rack.objects.normaliseKey(ex.param('key')) };
}

export const objectRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/objects',
    handle: async (ex) => {
      const app = ex.rack.state.requireApp(ex.param('app')).app.name;
      ex.json(await ex.rack.objects.list(app, ex.value('prefix') ?? ''));
    },
  },
  {
    // Source tarballs can be large: the body goes straight to disk, never into memory.
    method: 'POST',
    pattern: '/apps/{app}/objects/{key:.*}',
    streamsBody: true,
    handle: async (ex) => {
      const { app, key } = appAndKey(ex);
      await ex.rack.objects.store(app, key, ex.bodyStream());
      ex.json({ Url: `object://${app}/${key}` });
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/objects/{key:.*}',
    handle: async (ex) => {
      const { app, key } = appAndKey(ex);
      const size = await ex.rack.objects.size(app, key);
      if (size === undefined) throw RackError.notFound(`object not found: ${key}`);
      ex.res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
      await ex.rack.objects.fetchTo(app, key, ex.res);
    },
  },
  {
    // The rack drops HEAD bodies, so any key "exists" as far as the SDK can tell (spec §2, Objects).
    method: 'HEAD',
    pattern: '/apps/{app}/objects/{key:.*}',
    handle: (ex) => {
      appAndKey(ex);
      ex.res.writeHead(200, { 'Content-Type': 'application/json' });
      ex.res.end();
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/objects/{key:.*}',
    handle: async (ex) => {
      const { app, key } = appAndKey(ex);
      await ex.rack.objects.remove(app, key);
      ex.ok();
    },
  },
];
