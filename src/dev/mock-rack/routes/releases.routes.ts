import type { HttpRoute } from '../http/route-table';
import { createRelease, promoteRelease } from '../state/deploy-flow';

export const releaseRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/releases',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json(record.releases.slice(0, ex.integer('limit') ?? 10));
    },
  },
  {
    // How `convox env set/unset` works on v3: the whole env text arrives in the `env` field.
    method: 'POST',
    pattern: '/apps/{app}/releases',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      const release = createRelease(ex.rack.state, record, {
        build: ex.field('build') || undefined,
        description: ex.field('description') || undefined,
        env: ex.field('env'),
        parentRelease: ex.field('parent-release') || undefined,
      });
      ex.json(release);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/releases/{id}',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      ex.json(ex.rack.state.requireRelease(record, ex.param('id')));
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/releases/{id}/promote',
    handle: (ex) => {
      const record = ex.rack.state.requireApp(ex.param('app'));
      promoteRelease(ex.rack.state, record, ex.param('id'), ex.flag('force') ?? false);
      ex.ok();
    },
  },
];
