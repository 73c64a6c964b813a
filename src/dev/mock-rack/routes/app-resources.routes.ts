import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpExchange } from '../http/http-exchange';
import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';

function appResource(ex: HttpExchange) {
  const record = ex.rack.state.requireApp(ex.param('app'));
  const resource = record.resources.find((r) => r.name === ex.param('name'));
  if (!resource) throw RackError.notFound(`resource not found: ${ex.param('name')}`);
  return resource;
}

/** A plausible dump, produced lazily so the export is a real stream. */
function* dumpLines(name: string, type: string): Generator<string> {
  yield `-- ${type} dump of ${name} produced by the mock rack\n`;
  yield 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n';
  for (let id = 1; id <= 200; id++) yield `INSERT INTO accounts VALUES (${id}, 'user${id}@example.com');\n`;
}

export const appResourceRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/resources',
    handle: (ex) => ex.json(ex.rack.state.requireApp(ex.param('app')).resources),
  },
  { method: 'GET', pattern: '/apps/{app}/resources/{name}', handle: (ex) => ex.json(appResource(ex)) },
  {
    method: 'GET',
    pattern: '/apps/{app}/resources/{name}/data',
    handle: async (ex) => {
      const resource = appResource(ex);
      ex.res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      await pipeline(Readable.from(dumpLines(resource.name, resource.type)), ex.res);
    },
  },
  {
    method: 'PUT',
    pattern: '/apps/{app}/resources/{name}/data',
    streamsBody: true,
    handle: async (ex) => {
      appResource(ex);
      await ex.discardBody();
      ex.ok();
    },
  },
];

export const appResourceSockets: SocketRoute[] = [
  {
    // An interactive database console: echoes what it is sent, with no exit marker (spec §3.4).
    pattern: '/apps/{app}/resources/{name}/console',
    writeAccess: true,
    handle: async (session) => {
      const record = session.rack.state.requireApp(session.params.app);
      const resource = record.resources.find((r) => r.name === session.params.name);
      if (!resource) return session.fail(`resource not found: ${session.params.name}`);
      await session.write(`${resource.name} (${resource.type}) mock console\n`);
      let writes: Promise<void> = Promise.resolve();
      session.onInput((chunk) => {
        writes = writes.then(() => session.write(chunk));
      });
      await session.inputEnd();
      await writes;
      session.eof();
    },
  },
];
