import WebSocket from 'ws';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { basicAuth, rackJson, rackRequest, rackSocket } from './rack-client';

const MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D';
const KUBECTL_LINE = /^\[pod\/[a-z0-9-]+\/[a-z0-9-]+\] \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .+$/;

describe('mock rack websockets', () => {
  let rack: MockRack;

  beforeAll(async () => {
    rack = await startMockRack({ port: 0, password: 'socket-password', buildDelayMs: 300 });
  });

  afterAll(() => rack.close());

  it('sends recent kubectl-style lines then EOF when not following', async () => {
    const transcript = await rackSocket(rack, '/apps/myapp/logs', {
      headers: { Follow: 'false', Prefix: 'true', Since: '1m0s' },
    });
    expect(transcript.eof).toBe(true);
    const lines = transcript.text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(KUBECTL_LINE);
    const recorded = rack.requests.find((r) => r.path === '/apps/myapp/logs');
    expect(recorded).toMatchObject({ websocket: true, method: 'GET' });
  });

  it('honours Tail and Filter, and omits the prefix without Prefix', async () => {
    const tailed = await rackSocket(rack, '/apps/myapp/logs', { headers: { Follow: 'false', Tail: '3' } });
    expect(tailed.text.trimEnd().split('\n')).toHaveLength(3);
    expect(tailed.text).not.toContain('[pod/');
    const filtered = await rackSocket(rack, '/apps/myapp/services/web/logs', {
      headers: { Follow: 'false', Prefix: 'true', Filter: 'health' },
    });
    const lines = filtered.text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[pod\/web-[^/]+\/web\] .* GET \/health 200/);
  });

  it('keeps emitting lines while following', async () => {
    const started = Date.now();
    const transcript = await rackSocket(rack, '/apps/myapp/logs', {
      headers: { Prefix: 'true', Since: '6s' },
      until: (t) => t.textFrames.length >= 4,
    });
    expect(transcript.eof).toBe(false);
    expect(transcript.textFrames.length).toBeGreaterThanOrEqual(4);
    // One recent line, then one every ~500 ms: three more take over a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('reports a service with no pods in-band', async () => {
    const scaled = await rackRequest(rack, 'PUT', '/apps/worker-app/services/scheduler?', {
      form: { count: '0' },
    });
    expect(scaled.text).toBe('ok\n');
    const transcript = await rackSocket(rack, '/apps/worker-app/services/scheduler/logs', {
      headers: { Follow: 'false' },
    });
    expect(transcript.text).toBe('ERROR: no resources found in dev-rack-worker-app namespace\n');
    expect(transcript.eof).toBe(true);
  });

  it('streams exactly Mock-Stream-Bytes bytes of log lines then EOF', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const transcript = await rackSocket(rack, '/apps/api/logs', {
      headers: { 'Mock-Stream-Bytes': String(size), Prefix: 'true' },
      timeoutMs: 20_000,
    });
    expect(transcript.eof).toBe(true);
    expect(transcript.textFrames.reduce((sum, f) => sum + f.length, 0)).toBe(size);
    expect(transcript.text.split('\n')[0]).toMatch(KUBECTL_LINE);
  });

  it('streams a build log to EOF, waiting for the build, identically on a second read', async () => {
    const build = await rackJson<{ id: string }>(rack, 'POST', '/apps/myapp/builds?', {});
    const first = await rackSocket(rack, `/apps/myapp/builds/${build.id}/logs`);
    expect(first.eof).toBe(true);
    expect(first.text).toContain('Step 1/5');
    expect(first.text).toContain(`Running: docker push`);
    const status = await rackJson<{ status: string }>(rack, 'GET', `/apps/myapp/builds/${build.id}?`);
    expect(status.status).toBe('complete');
    const second = await rackSocket(rack, `/apps/myapp/builds/${build.id}/logs`);
    expect(second.text).toBe(first.text);
  });

  it('exec echoes stdin back with cat, without validating UTF-8, then marker and EOF', async () => {
    const invalidUtf8 = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x0a]);
    const transcript = await rackSocket(rack, '/apps/myapp/processes/web/exec', {
      headers: { Command: 'cat', Tty: 'false' },
      stdin: ['line one\n', invalidUtf8],
      sendEof: true,
    });
    const frames = transcript.textFrames;
    expect(Buffer.concat(frames.slice(0, -1))).toEqual(
      Buffer.concat([Buffer.from('line one\n'), invalidUtf8]),
    );
    expect(frames[frames.length - 1].toString()).toBe(`${MARKER}:0\n`);
    expect(transcript.eof).toBe(true);
  });

  it.each([
    ['exit 3', '', 3],
    ["sh -c 'exit 3'", '', 3],
    ['echo hello   world', 'hello world\n', 0],
    ['rake db:migrate', 'mock-rack: ran "rake db:migrate"', 0],
  ])('exec %s prints %j and exits %i', async (command, output, code) => {
    const transcript = await rackSocket(rack, '/apps/myapp/processes/worker/exec', {
      headers: { Command: command },
    });
    const frames = transcript.textFrames.map((f) => f.toString());
    expect(frames[frames.length - 1]).toBe(`${MARKER}:${code}\n`);
    expect(frames.slice(0, -1).join('')).toContain(output);
    expect(frames[0].charCodeAt(0)).not.toBe(0);
    expect(transcript.eof).toBe(true);
  });

  it('runs exec on a process created by run, as convox run does', async () => {
    const process = await fetch(`${rack.url}/apps/api/services/web/processes?`, {
      method: 'POST',
      headers: { Authorization: basicAuth(rack.password), Command: 'sleep 3600' },
    }).then((r) => r.json() as Promise<{ id: string }>);
    const transcript = await rackSocket(rack, `/apps/api/processes/${process.id}/exec`, {
      headers: { Command: 'echo from run', Entrypoint: 'true' },
    });
    expect(transcript.text).toBe(`from run\n${MARKER}:0\n`);
  });

  it('answers the instance shell with a marker and the resource console and proxy by echo', async () => {
    const shell = await rackSocket(rack, '/instances/ip-10-0-1-23.ec2.internal/shell', {
      headers: { Command: 'exit 7' },
    });
    expect(shell.text).toBe(`${MARKER}:7\n`);
    const consoleSession = await rackSocket(rack, '/apps/myapp/resources/database/console', {
      stdin: ['select 1;\n'],
      sendEof: true,
    });
    expect(consoleSession.text).toContain('select 1;\n');
    expect(consoleSession.text).not.toContain(MARKER);
    const tunnel = await rackSocket(rack, '/proxy/database.myapp.svc.cluster.local/5432', {
      stdin: ['ping'],
      sendEof: true,
    });
    expect(tunnel.text).toBe('ping');
    const refused = await rackSocket(rack, '/proxy/169.254.169.254/80', { sendEof: true });
    expect(refused.text).toMatch(/^ERROR: proxy to 169\.254\.169\.254 is not allowed\n$/);
    const rackLogs = await rackSocket(rack, '/system/logs');
    expect(rackLogs.text).toBe('ERROR: unimplemented\n');
  });

  it('answers pings', async () => {
    const ws = new WebSocket(`${rack.url.replace('http', 'ws')}/apps/myapp/logs`, {
      headers: { Authorization: basicAuth(rack.password) },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const pong = new Promise<Buffer>((resolve) => ws.once('pong', resolve));
    ws.ping(Buffer.from('keepalive'));
    expect((await pong).toString()).toBe('keepalive');
    ws.terminate();
  });

  it('gives an upgrade to a non-websocket path the plain HTTP answer', async () => {
    await expect(rackSocket(rack, '/apps?', { headers: { Follow: 'false' } })).rejects.toThrow(
      'bad handshake: 200',
    );
    await expect(rackSocket(rack, '/nowhere')).rejects.toThrow('bad handshake: 404');
  });
});
