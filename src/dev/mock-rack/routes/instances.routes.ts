import { generateKeyPairSync } from 'node:crypto';
import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';
import { randomHex } from '../state/convox-ids';
import { runExec } from '../streams/exec-session';

export const instanceRoutes: HttpRoute[] = [
  {
    method: 'GET',
    pattern: '/instances',
    handle: (ex) => ex.json([...ex.rack.state.instances].sort((a, b) => a.id.localeCompare(b.id))),
  },
  {
    method: 'POST',
    pattern: '/instances/keyroll',
    handle: (ex) => {
      const { privateKey } = generateKeyPairSync('ed25519');
      ex.json({
        name: `dev-rack-keypair-${randomHex(4)}`,
        'private-key': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      });
    },
  },
  {
    method: 'DELETE',
    pattern: '/instances/{id}',
    handle: (ex) => {
      const { state } = ex.rack;
      if (!state.instances.some((i) => i.id === ex.param('id'))) {
        throw RackError.notFound(`instance not found: ${ex.param('id')}`);
      }
      state.instances = state.instances.filter((i) => i.id !== ex.param('id'));
      ex.ok();
    },
  },
];

export const instanceSockets: SocketRoute[] = [
  {
    pattern: '/instances/{id}/shell',
    writeAccess: true,
    handle: async (session) => {
      const instance = session.rack.state.instances.find((i) => i.id === session.params.id);
      if (!instance) return session.fail(`instance not found: ${session.params.id}`);
      await runExec(session, { where: instance.id });
    },
  },
];
