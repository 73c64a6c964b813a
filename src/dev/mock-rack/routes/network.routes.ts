import type { HttpRoute, SocketRoute } from '../http/route-table';
import { RackError } from '../http/rack-error';

/** The rack refuses tunnels to loopback, link-local and the cloud metadata address. */
function forbiddenTunnelHost(host: string): boolean {
  return (
    host === 'localhost' ||
    /^127\./.test(host) ||
    /^169\.254\./.test(host) ||
    host === '::1' ||
    host === '[::1]' ||
    host === 'metadata.google.internal'
  );
}

export const networkSockets: SocketRoute[] = [
  {
    // A raw TCP tunnel on a real rack; the mock echoes the bytes back, which is enough to prove relaying.
    pattern: '/proxy/{host}/{port}',
    writeAccess: true,
    handle: async (session) => {
      const { host, port } = session.params;
      if (forbiddenTunnelHost(host)) return session.fail(`proxy to ${host} is not allowed`);
      if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
        return session.fail(`invalid port: ${port}`);
      }
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

const ANY_METHOD = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * HTTP into the cluster on a real rack. The mock answers as the in-cluster service would, describing
 * the request it got, so a test can see what was forwarded.
 */
export const customProxyRoutes: HttpRoute[] = ANY_METHOD.map((method) => ({
  method,
  pattern: '/custom/http/proxy/{path:.*}',
  streamsBody: true,
  handle: async (ex) => {
    const host = ex.header('X-Host') ?? '';
    const port = ex.header('X-Port') ?? '80';
    if (!host.endsWith('.local')) {
      throw RackError.badRequest('X-Host must be a cluster-local name (*.local or *.svc.cluster.local)');
    }
    if (!ex.role.includes('w')) throw RackError.forbidden('this action requires write access');
    const bodyBytes = await ex.discardBody();
    ex.json({ upstream: `${host}:${port}`, method, path: `/${ex.param('path')}`, bodyBytes });
  },
}));
