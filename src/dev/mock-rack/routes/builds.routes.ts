import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { buildArchive } from '../state/tar-archive';
import { importBuild, startBuild } from '../state/deploy-flow';
import { ObjectStore } from '../state/object-store';
import { encodeJson } from '../http/wire-format';
import { buildLogLines, manifestServiceNames } from '../streams/log-lines';
import { pause } from '../streams/log-streams';

const BUILD_STATUSES = ['created', 'running', 'complete', 'failed'] as const;

export const buildRoutes: HttpRoute[] = [
  {
    method: 'POST',
    pattern: '/apps/{app}/builds',
    handle: async (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const url = ex.value('url') ?? '';
      let sourceAvailable = true;
      if (url !== '') {
        const key = ObjectStore.keyFromUrl(record.app.name, url);
        if (key === undefined) throw RackError.badRequest(`invalid object url: ${url}`);
        sourceAvailable = await ex.rack.objects.exists(record.app.name, key);
      }
      const build = startBuild(ex.rack.state, record, {
        description: ex.field('description'),
        gitSha: ex.field('git-sha'),
        manifest: ex.field('manifest'),
        sourceAvailable,
      });
      ex.json(build);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/builds',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json(record.builds.slice(0, ex.integer('limit') ?? 10));
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/builds/import',
    streamsBody: true,
    handle: async (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const key = `imports/${Date.now()}.tgz`;
      const size = await ex.rack.objects.store(record.app.name, key, ex.bodyStream());
      if (size === 0) throw RackError.badRequest('empty build archive');
      ex.json(importBuild(ex.rack.state, record));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/builds/{id}.tgz',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const build = ex.rack.state.requireBuild(record, ex.param('id'));
      const archive = buildArchive({ 'build.json': encodeJson(build) });
      // A chunked stream with no explicit length, as the rack sends exports.
      ex.res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      ex.res.end(archive);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/builds/{id}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json(ex.rack.state.requireBuild(record, ex.param('id')));
    },
  },
  {
    method: 'PUT',
    pattern: '/apps/{app}/builds/{id}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const build = ex.rack.state.requireBuild(record, ex.param('id'));
      const status = ex.field('status');
      if (status !== undefined) {
        if (!(BUILD_STATUSES as readonly string[]).includes(status)) {
          throw RackError.badRequest(`invalid build status: ${status}`);
        }
        build.status = status as (typeof BUILD_STATUSES)[number];
      }
      for (const field of ['entrypoint', 'logs', 'manifest', 'release'] as const) {
        const value = ex.field(field);
        if (value !== undefined) build[field] = value;
      }
      ex.json(build);
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/builds/{id}/image',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.rack.state.requireBuild(record, ex.param('id'));
      if (!ex.value('image')) throw new RackError(422, 'image is required');
      ex.empty(202);
    },
  },
];

/** Long enough for any build to finish; the stream ends anyway after that. */
const BUILD_LOG_WAIT_SLACK_MS = 10_000;

export const buildSockets: SocketRoute[] = [
  {
    pattern: '/apps/{app}/builds/{id}/logs',
    handle: async (session) => {
      const { state } = session.rack;
      const record = state.requireApp(session.params.app);
      const build = state.requireBuild(record, session.params.id);
      const lines = buildLogLines(record.app.name, build.id, []);
      const pushAt = lines.findIndex((line) => line.startsWith('Running: docker push'));
      for (const line of lines.slice(0, pushAt)) await session.write(line);
      // The real stream follows the build pod; wait for the build to finish before the last lines.
      const deadline = Date.now() + state.timings.buildDelayMs + BUILD_LOG_WAIT_SLACK_MS;
      while (
        (build.status === 'created' || build.status === 'running') &&
        Date.now() < deadline &&
        session.open
      ) {
        await pause(100, session.closed);
      }
      if (build.status === 'failed') {
        await session.write(`ERROR: ${build.reason || 'build failed'}\n`);
      } else {
        const services = manifestServiceNames(build.manifest);
        for (const line of buildLogLines(record.app.name, build.id, services).slice(pushAt))
          await session.write(line);
      }
      session.eof();
    },
  },
];
