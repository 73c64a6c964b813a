import { request } from 'node:http';
import { stat } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startMockRack, type MockRack } from '../../src/dev/mock-rack';
import { basicAuth, rackRequest } from './rack-client';

const MiB = 1024 * 1024;

/** `total` bytes produced 64 KiB at a time from one reused buffer, so the test itself holds no body. */
function generatedBody(total: number): Readable {
  const block = Buffer.alloc(64 * 1024, 'convox-object-bytes-');
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(block.length, total - sent);
      sent += size;
      this.push(size === block.length ? block : block.subarray(0, size));
    },
  });
}

function upload(
  rack: MockRack,
  path: string,
  body: Readable,
  length?: number,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    Authorization: basicAuth(rack.password),
    'Content-Type': 'application/octet-stream',
  };
  if (length !== undefined) headers['Content-Length'] = String(length);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: rack.port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

/** Counts a download's bytes as they stream past. */
function downloadSize(rack: MockRack, path: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: rack.port, path, headers: { Authorization: basicAuth(rack.password) } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('mock rack object store', () => {
  const objectsDir = mkdtempSync(join(tmpdir(), 'mock-rack-objects-test-'));
  let rack: MockRack;

  beforeAll(async () => {
    rack = await startMockRack({ port: 0, password: 'object-password', objectsDir });
  });

  afterAll(async () => {
    await rack.close();
    rmSync(objectsDir, { recursive: true, force: true });
  });

  it('pipes a 200 MB Content-Length upload to disk without holding it in memory', async () => {
    const size = 200 * MiB;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      const response = await upload(
        rack,
        '/apps/myapp/objects/tmp/big-source.tgz?',
        generatedBody(size),
        size,
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ Url: 'object://myapp/tmp/big-source.tgz' });
    } finally {
      clearInterval(sampler);
    }
    expect((await stat(join(objectsDir, 'myapp', 'tmp', 'big-source.tgz'))).size).toBe(size);
    expect(peak - before).toBeLessThan(64 * MiB);
    const recorded = rack.requests.find((r) => r.path === '/apps/myapp/objects/tmp/big-source.tgz');
    expect(recorded?.bodyBytes).toBe(size);
    const download = await downloadSize(rack, '/apps/myapp/objects/tmp/big-source.tgz?');
    expect(download).toEqual({ status: 200, bytes: size });
  });

  it('stores a chunked upload too', async () => {
    const size = 16 * MiB + 3;
    const response = await upload(rack, '/apps/api/objects/imports/chunked.bin?', generatedBody(size));
    expect(JSON.parse(response.text)).toEqual({ Url: 'object://api/imports/chunked.bin' });
    expect((await stat(join(objectsDir, 'api', 'imports', 'chunked.bin'))).size).toBe(size);
  });

  it('refuses keys with .. and unknown apps', async () => {
    const escape = await rackRequest(rack, 'POST', '/apps/myapp/objects/tmp/../../etc/passwd?', {
      body: 'x',
    });
    expect(escape.status).toBe(400);
    expect(escape.text).toBe('invalid key: tmp/../../etc/passwd\n');
    const unknown = await rackRequest(rack, 'POST', '/apps/ghost/objects/tmp/a.tgz?', { body: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('app not found: ghost\n');
  });

  it('lists, heads, fetches and deletes objects', async () => {
    await rackRequest(rack, 'POST', '/apps/worker-app/objects/tmp/one.txt?', { body: 'first' });
    const listed = await rackRequest(rack, 'GET', '/apps/worker-app/objects?prefix=tmp/');
    expect(JSON.parse(listed.text)).toEqual(['tmp/one.txt']);
    expect((await rackRequest(rack, 'HEAD', '/apps/worker-app/objects/tmp/never.txt?')).status).toBe(200);
    expect((await rackRequest(rack, 'GET', '/apps/worker-app/objects/tmp/one.txt?')).text).toBe('first');
    expect((await rackRequest(rack, 'DELETE', '/apps/worker-app/objects/tmp/one.txt?')).text).toBe('ok\n');
    const gone = await rackRequest(rack, 'GET', '/apps/worker-app/objects/tmp/one.txt?');
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('object not found: tmp/one.txt\n');
  });

  it('drains streamed imports and answers with their results', async () => {
    const build = await upload(rack, '/apps/myapp/builds/import?', generatedBody(2 * MiB));
    expect(build.status).toBe(200);
    expect(JSON.parse(build.text)).toMatchObject({ status: 'complete', app: 'myapp' });
    const data = await rackRequest(rack, 'PUT', '/apps/myapp/resources/database/data?', {
      body: 'COPY accounts FROM stdin;',
    });
    expect(data.text).toBe('ok\n');
  });
});
