import { request } from 'node:http';
import WebSocket from 'ws';
import { cliAuth, startProxyStack, type ProxyStack } from './proxy-stack';

const MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D';
const MiB = 1024 * 1024;

interface Transcript {
  text: string;
  eof: boolean;
  closeCode?: number;
}

/** Runs a websocket like the convox CLI: optional stdin then an empty binary EOF, collects text until EOF. */
function cliSocket(url: string, headers: Record<string, string>, stdin: string[] = []): Promise<Transcript> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, skipUTF8Validation: true });
    const transcript: Transcript = { text: '', eof: false };
    ws.on('open', () => {
      for (const line of stdin) ws.send(line, { binary: false });
      if (stdin.length > 0) ws.send(Buffer.alloc(0), { binary: true });
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        transcript.eof = true;
        ws.close(1000);
      } else transcript.text += data.toString('utf8');
    });
    ws.on('close', (code) => resolve({ ...transcript, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        reject(Object.assign(new Error(`bad handshake ${res.statusCode}`), { status: res.statusCode, body })),
      );
    });
    ws.on('error', reject);
  });
}

describe('rack proxy: streams (uploads, logs, exec)', () => {
  let stack: ProxyStack;
  let wsBase: string;

  beforeAll(async () => {
    stack = await startProxyStack();
    wsBase = stack.proxyUrl.replace(/^http/, 'ws');
  });
  afterAll(() => stack.close());

  it('streams a 200 MB upload to the rack without holding it in memory', async () => {
    const size = 200 * MiB;
    const chunk = Buffer.alloc(MiB, 0x61);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${stack.proxyUrl}/apps/myapp/objects/tmp/big-upload.tgz?`,
        {
          method: 'POST',
          headers: {
            authorization: cliAuth(stack.tokens.deployer),
            'content-type': 'application/octet-stream',
            'content-length': String(size),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (part: Buffer) => (body += part.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    clearInterval(sampler);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ Url: 'object://myapp/tmp/big-upload.tgz' });
    const recorded = stack.rack.requests.find((r) => r.path === '/apps/myapp/objects/tmp/big-upload.tgz');
    expect(recorded?.headers['content-length']).toBe(String(size));
    // Client, gateway and rack share this process; a buffered body alone would add 200 MB.
    expect(peak - baseline).toBeLessThan(96 * MiB);
  });

  it('streams logs over a websocket with option headers passed to the rack', async () => {
    const transcript = await cliSocket(`${wsBase}/apps/myapp/logs`, {
      authorization: cliAuth(stack.tokens.viewer),
      Follow: 'false',
      Prefix: 'true',
      Tail: '4',
    });
    expect(transcript.eof).toBe(true);
    expect(transcript.text.trimEnd().split('\n')).toHaveLength(4);
    const seen = stack.rack.requests.filter((r) => r.path === '/apps/myapp/logs').pop();
    expect(seen).toMatchObject({ websocket: true });
    expect(seen?.headers).toMatchObject({ follow: 'false', prefix: 'true', tail: '4' });
    expect(seen?.headers.authorization).not.toContain(stack.tokens.viewer);
    expect(seen?.headers.origin).toBe(stack.rack.url);
  });

  it('relays a large log stream intact', async () => {
    const transcript = await cliSocket(`${wsBase}/apps/myapp/logs`, {
      authorization: cliAuth(stack.tokens.viewer),
      'Mock-Stream-Bytes': String(5 * MiB),
    });
    expect(transcript.eof).toBe(true);
    expect(Buffer.byteLength(transcript.text)).toBe(5 * MiB);
  });

  it('runs exec with stdin and returns the exit code marker', async () => {
    const cat = await cliSocket(
      `${wsBase}/apps/myapp/processes/web/exec`,
      { authorization: cliAuth(stack.tokens.ops), Command: 'cat', Tty: 'false' },
      ['hello ', 'through the gateway\n'],
    );
    expect(cat.text).toContain('hello through the gateway');
    expect(cat.text).toContain(`${MARKER}:0`);

    const failing = await cliSocket(
      `${wsBase}/apps/myapp/processes/web/exec`,
      { authorization: cliAuth(stack.tokens.ops), Command: 'exit 3', Tty: 'false' },
      [],
    );
    expect(failing.text).toContain(`${MARKER}:3`);
    expect(failing.eof).toBe(true);
  });

  it('refuses in-band like a rack: 101, an ERROR line, then close 4401 without credentials, 4403 without permission', async () => {
    const anonymous = await cliSocket(`${wsBase}/apps/myapp/logs`, {});
    expect(anonymous.text).toMatch(/^ERROR: the rack proxy needs an Authorization header/);
    expect(anonymous.closeCode).toBe(4401);
    const viewer = await cliSocket(`${wsBase}/apps/myapp/processes/web/exec`, {
      authorization: cliAuth(stack.tokens.viewer),
      Command: 'sh',
    });
    expect(viewer).toMatchObject({
      text: 'ERROR: permission denied: convox:process:exec\n',
      eof: false,
      closeCode: 4403,
    });
  });
});
