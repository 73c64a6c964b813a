import type { HttpRoute, SocketRoute } from '../http/route-table';
import type { AppRecord } from '../state/rack-state';
import type { Process } from '../state/rack-types';
import { RackError } from '../http/rack-error';
import { tarArchive } from '../state/tar-archive';
import { processLine } from '../streams/log-lines';
import { readLogOptions } from '../streams/log-options';
import { streamPodLogs } from '../streams/log-streams';
import { runExec } from '../streams/exec-session';

/** Exec accepts a pod name or a service name; for a service a running pod of it is picked. */
function execTarget(record: AppRecord, pid: string): Process | undefined {
  const pod = record.fleet.find(pid);
  if (pod) return pod;
  const candidates = record.fleet.list().filter((p) => p.name === pid && p.status === 'running');
  return candidates[Math.floor(Math.random() * candidates.length)];
}

export const processRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/processes',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const release = ex.field('release');
      const service = ex.field('service');
      ex.json(
        record.fleet
          .list()
          .filter((p) => (!release || p.release === release) && (!service || p.name === service)),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/processes/{pid}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json(ex.rack.state.requireProcess(record, ex.param('pid')));
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/processes/{pid}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.rack.state.requireProcess(record, ex.param('pid'));
      record.fleet.remove(ex.param('pid'));
      ex.ok();
    },
  },
  {
    // `convox run`: every option is a header on this POST; the body is empty.
    method: 'POST',
    pattern: '/apps/{app}/services/{service}/processes',
    handle: (ex) => {
      const { state } = ex.rack;
      const record = state.requireApp(ex.param('app'));
      const service = state.requireService(record, ex.param('service'));
      const release = ex.header('Release') || record.app.release;
      state.requireRelease(record, release);
      const process = record.fleet.run(service, ex.header('Command') ?? '', release);
      ex.json(process);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/processes/{pid}/files',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const pod = ex.rack.state.requireProcess(record, ex.param('pid'));
      const file = ex.value('file');
      if (!file) throw RackError.badRequest('file is required');
      const name = file.replace(/^\/+/, '');
      ex.res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      ex.res.end(tarArchive({ [name]: `contents of ${file} in ${pod.id}\n` }));
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/processes/{pid}/files',
    streamsBody: true,
    handle: async (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.rack.state.requireProcess(record, ex.param('pid'));
      await ex.discardBody();
      ex.ok();
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/processes/{pid}/files',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.rack.state.requireProcess(record, ex.param('pid'));
      if (!ex.value('files')) throw RackError.badRequest('files is required');
      ex.ok();
    },
  },
];

export const processSockets: SocketRoute[] = [
  {
    pattern: '/apps/{app}/processes/{pid}/exec',
    writeAccess: true,
    handle: async (session) => {
      const record = session.rack.state.requireApp(session.params.app);
      const pod = execTarget(record, session.params.pid);
      if (!pod) return session.fail(`pod not found: ${session.params.pid}`);
      const env = record.releases.find((r) => r.id === pod.release)?.env;
      await runExec(session, { where: pod.id, env });
    },
  },
  {
    pattern: '/apps/{app}/processes/{pid}/logs',
    handle: async (session) => {
      const record = session.rack.state.requireApp(session.params.app);
      const pod = session.rack.state.requireProcess(record, session.params.pid);
      const { prefix } = readLogOptions(session);
      await streamPodLogs(
        session,
        () => (record.fleet.find(pod.id) ? [pod] : []),
        (p, at, message) => processLine(p, at, message, prefix),
        `process not found: ${pod.id}`,
      );
    },
  },
];
