import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * A stand-in for the rack's router: it terminates TLS with a test certificate and forwards plain HTTP to the
 * gateway processes in turn (round robin), passing the Host the client used and appending the client's
 * address to X-Forwarded-For, as the router in front of a Convox service does.
 */
export interface TlsRouter {
  /** `https://127.0.0.1:<port>`: what PUBLIC_URL is set to. */
  url: string;
  /** How many requests each backend port received. */
  served: Map<number, number>;
  close(): Promise<void>;
}

export async function startTlsRouter(
  tls: { cert: Buffer; key: Buffer },
  backendPorts: number[],
): Promise<TlsRouter> {
  const served = new Map(backendPorts.map((port) => [port, 0]));
  let next = 0;
  const server: Server = createServer(tls, (req, res) => {
    const port = backendPorts[next++ % backendPorts.length];
    served.set(port, (served.get(port) ?? 0) + 1);
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-forwarded-for': forwardedFor,
          'x-forwarded-proto': 'https',
          'x-forwarded-port': String((server.address() as AddressInfo).port),
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        pipeline(answer, res, () => undefined);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('router: backend unreachable');
      else res.destroy();
    });
    pipeline(req, upstream, () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `fetch` for https URLs that trusts `ca` (global fetch only trusts the system's authorities), answering
 * a WHATWG Response so the test's cookie-keeping browser can use it unchanged. No redirects are followed.
 */
export function fetchTrusting(ca: Buffer): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.protocol !== 'https:') return fetch(url, init);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method: init.method ?? 'GET', headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const answerHeaders = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            answerHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          }
          const status = res.statusCode ?? 0;
          const content = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(content, { status, headers: answerHeaders }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}
