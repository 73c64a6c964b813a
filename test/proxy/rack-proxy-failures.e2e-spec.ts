import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockRack } from '../../src/dev/mock-rack';
import { freePort } from '../harness/free-port';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

/** A stand-in rack whose behaviour each test controls (hang, stream slowly, record aborts). */
async function scriptedRack(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
) {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rack: MockRack = {
    url,
    port: (server.address() as AddressInfo).port,
    password: '',
    requests: [],
    clearRequests: () => undefined,
    dropWebsockets: () => 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return rack;
}

describe('rack proxy: failures never hang', () => {
  it('answers 502 quickly when the rack is down', async () => {
    const port = await freePort();
    const down = { url: `http://127.0.0.1:${port}`, close: async () => undefined } as MockRack;
    const stack = await startProxyStack({}, down);
    try {
      const started = Date.now();
      const response = await fetch(`${stack.proxyUrl}/apps?`, {
        headers: { authorization: cliAuth(stack.tokens.viewer) },
      });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(/^rack unreachable: /);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await stack.close();
    }
  });

  describe('against a scripted rack', () => {
    let stack: ProxyStack;
    let rack: MockRack;
    let behaviour: (req: IncomingMessage, res: import('node:http').ServerResponse) => void;

    beforeAll(async () => {
      rack = await scriptedRack((req, res) => behaviour(req, res));
      stack = await startProxyStack({ RACK_TIMEOUT_MS: '500' }, rack);
    });
    afterAll(async () => {
      await stack.close();
      await rack.close();
    });

    it('answers 504 when the rack sends no response headers in time', async () => {
      behaviour = () => undefined; // never answers
      const started = Date.now();
      const response = await fetch(`${stack.proxyUrl}/apps?`, {
        headers: { authorization: cliAuth(stack.tokens.viewer) },
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ error: 'rack timeout: no response within 500 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('does not cut a response that keeps flowing past the timeout', async () => {
      behaviour = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let ticks = 0;
        const timer = setInterval(() => {
          res.write('tick\n');
          if (++ticks === 8) {
            clearInterval(timer);
            res.end();
          }
        }, 150);
      };
      const response = await fetch(`${stack.proxyUrl}/apps/myapp/objects/slow.bin?`, {
        headers: { authorization: cliAuth(stack.tokens.deployer) },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('tick\n'.repeat(8));
    });

    it('aborts the rack request when the client goes away', async () => {
      const rackSawClose = new Promise<boolean>((resolve) => {
        behaviour = (req, res) => {
          res.writeHead(200);
          res.write('first chunk\n');
          req.socket.once('close', () => resolve(true));
        };
      });
      await new Promise<void>((resolve, reject) => {
        const req = request(
          `${stack.proxyUrl}/apps/myapp/objects/endless.bin?`,
          { headers: { authorization: cliAuth(stack.tokens.deployer) } },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', () => undefined);
        req.on('response', () => undefined);
        req.end();
        setTimeout(() => reject(new Error('no data')), 3000);
      });
      await expect(rackSawClose).resolves.toBe(true);
    });
  });
});
