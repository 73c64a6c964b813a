import WebSocket from 'ws';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { createTestCertificates, type TestCertificates } from '../harness/test-certificates';
import { cliAuth, RACK_PASSWORD, startProxyStack, type ProxyStack } from './proxy-stack';

const RACK_BASIC = `Basic ${Buffer.from(`convox:${RACK_PASSWORD}`).toString('base64')}`;

/** `GET /apps` through the gateway as the viewer: status and JSON body. */
async function listApps(stack: ProxyStack): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.proxyUrl}/apps?`, {
    headers: { authorization: cliAuth(stack.tokens.viewer) },
  });
  return { status: response.status, body: await response.json() };
}

/** `convox logs --no-follow` through the gateway: the text until the rack's EOF frame, or the refusal. */
function readLogs(stack: ProxyStack): Promise<{ text: string } | { status: number; body: string }> {
  const url = `${stack.proxyUrl.replace(/^http/, 'ws')}/apps/myapp/logs`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { authorization: cliAuth(stack.tokens.viewer), Follow: 'false', Tail: '3' },
    });
    let text = '';
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) ws.close(1000);
      else text += data.toString('utf8');
    });
    ws.on('close', () => resolve({ text }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
}

describe('rack proxy: TLS to the rack (CA bundle and certificate pinning)', () => {
  let certs: TestCertificates;
  /** HTTPS rack whose certificate the test CA signed. */
  let caSignedRack: MockRack;
  /** HTTPS rack with a self-signed certificate (what a rack's own ingress often serves). */
  let selfSignedRack: MockRack;

  beforeAll(async () => {
    certs = await createTestCertificates();
    caSignedRack = await startMockRack({
      password: RACK_PASSWORD,
      tls: { key: certs.server.key, cert: certs.server.cert },
    });
    selfSignedRack = await startMockRack({
      password: RACK_PASSWORD,
      tls: { key: certs.selfSigned.key, cert: certs.selfSigned.cert },
    });
  });
  afterAll(async () => {
    await caSignedRack?.close();
    await selfSignedRack?.close();
    await certs?.remove();
  });
  beforeEach(() => {
    caSignedRack.clearRequests();
    selfSignedRack.clearRequests();
  });

  /** Runs `body` against a gateway configured with `env` in front of `rack`, then stops the gateway. */
  async function withGateway(
    rack: MockRack,
    env: Record<string, string>,
    body: (stack: ProxyStack) => Promise<void>,
  ): Promise<void> {
    const stack = await startProxyStack(env, rack);
    try {
      await body(stack);
    } finally {
      await stack.close();
    }
  }

  describe('with RACK_CA_FILE = the CA that signed the rack certificate', () => {
    it('lists apps over HTTPS with the rack password on the rack side', async () => {
      await withGateway(caSignedRack, { RACK_CA_FILE: certs.ca.certFile }, async (stack) => {
        expect(stack.rack.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
        const result = await listApps(stack);
        expect(result.status).toBe(200);
        expect(Array.isArray(result.body)).toBe(true);
        const seen = caSignedRack.requests.find((r) => r.path === '/apps');
        expect(seen?.headers.authorization).toBe(RACK_BASIC);
      });
    });

    it('bridges a logs websocket over wss', async () => {
      await withGateway(caSignedRack, { RACK_CA_FILE: certs.ca.certFile }, async (stack) => {
        const logs = await readLogs(stack);
        expect('text' in logs && logs.text.trimEnd().split('\n')).toHaveLength(3);
        expect(caSignedRack.requests.find((r) => r.path === '/apps/myapp/logs')).toMatchObject({
          websocket: true,
          headers: expect.objectContaining({ authorization: RACK_BASIC, tail: '3' }) as unknown,
        });
      });
    });
  });

  describe.each([
    ['no CA configured (system roots only)', {}],
    ['the wrong CA (an unrelated self-signed certificate)', { selfSignedAsCa: true }],
  ])('with %s', (_label, options: { selfSignedAsCa?: boolean }) => {
    const env = (): Record<string, string> =>
      options.selfSignedAsCa ? { RACK_CA_FILE: certs.selfSigned.certFile } : {};
    const issuerNotTrusted =
      'rack certificate verification failed: issuer is not trusted (set RACK_CA_FILE to the CA that signed it)';

    it('answers 502 naming the untrusted issuer, and the rack never gets the password', async () => {
      await withGateway(caSignedRack, env(), async (stack) => {
        const started = Date.now();
        expect(await listApps(stack)).toEqual({ status: 502, body: { error: issuerNotTrusted } });
        expect(Date.now() - started).toBeLessThan(1500);
        expect(caSignedRack.requests).toEqual([]);
      });
    });

    it('refuses the logs websocket with the same 502 before dialing anything through', async () => {
      await withGateway(caSignedRack, env(), async (stack) => {
        const logs = await readLogs(stack);
        expect(logs).toEqual({ status: 502, body: JSON.stringify({ error: issuerNotTrusted }) });
        expect(caSignedRack.requests).toEqual([]);
      });
    });
  });

  describe('with RACK_TLS_PIN_SHA256', () => {
    it('accepts a self-signed rack whose fingerprint matches (certificate also in RACK_CA_FILE)', async () => {
      const env = { RACK_CA_FILE: certs.selfSigned.certFile, RACK_TLS_PIN_SHA256: certs.selfSigned.sha256 };
      await withGateway(selfSignedRack, env, async (stack) => {
        expect((await listApps(stack)).status).toBe(200);
        const logs = await readLogs(stack);
        expect('text' in logs && logs.text.trimEnd().split('\n')).toHaveLength(3);
        expect(selfSignedRack.requests.map((r) => r.path)).toEqual(['/apps', '/apps/myapp/logs']);
      });
    });

    it('accepts the pin in lower case without colons, on a CA-signed rack', async () => {
      const pin = certs.server.sha256.replace(/:/g, '').toLowerCase();
      await withGateway(
        caSignedRack,
        { RACK_CA_FILE: certs.ca.certFile, RACK_TLS_PIN_SHA256: pin },
        async (stack) => {
          expect((await listApps(stack)).status).toBe(200);
        },
      );
    });

    it('answers 502 naming the pin mismatch when the rack serves another certificate', async () => {
      // The chain verifies (the CA is trusted) but the leaf is not the pinned one.
      const env = { RACK_CA_FILE: certs.ca.certFile, RACK_TLS_PIN_SHA256: certs.selfSigned.sha256 };
      const mismatch = 'rack certificate verification failed: fingerprint does not match RACK_TLS_PIN_SHA256';
      await withGateway(caSignedRack, env, async (stack) => {
        expect(await listApps(stack)).toEqual({ status: 502, body: { error: mismatch } });
        expect(await readLogs(stack)).toEqual({ status: 502, body: JSON.stringify({ error: mismatch }) });
        expect(caSignedRack.requests).toEqual([]);
      });
    });

    it('still needs the self-signed certificate in RACK_CA_FILE, as docs/PROXY.md says', async () => {
      await withGateway(selfSignedRack, { RACK_TLS_PIN_SHA256: certs.selfSigned.sha256 }, async (stack) => {
        expect(await listApps(stack)).toEqual({
          status: 502,
          body: {
            error:
              'rack certificate verification failed: self-signed certificate is not trusted (add it to RACK_CA_FILE)',
          },
        });
        expect(selfSignedRack.requests).toEqual([]);
      });
    });
  });
});
