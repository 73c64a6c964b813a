import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import { servicesOf, SourceManifestTap } from './source-manifest-tap';

/** A gzipped tar of `files` (path → text), paths stored exactly as given (`./x`, `../x` included). */
function tgz(files: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tap-spec-'));
  const root = join(dir, 'a', 'b');
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    create(
      { gzip: true, sync: true, cwd: root, file: join(dir, 'out.tgz'), preservePaths: true },
      Object.keys(files),
    );
    return readFileSync(join(dir, 'out.tgz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pipes `body` through a tap in small chunks and returns what came out and what the tap saw. */
async function tap(body: Buffer) {
  const tapStream = new SourceManifestTap();
  const out: Buffer[] = [];
  const chunks = [];
  for (let at = 0; at < body.length; at += 1000) chunks.push(body.subarray(at, at + 1000));
  await pipeline(
    Readable.from(chunks),
    tapStream,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { passed: Buffer.concat(out), inspection: await tapStream.inspection };
}

const MANIFEST = 'services:\n  web:\n    image: r/web:abc\n  worker:\n    build: .\n';

describe('SourceManifestTap', () => {
  it('passes the upload through byte for byte and finds the manifests', async () => {
    const body = tgz({
      'convox.yml': MANIFEST,
      'src/app.js': 'x'.repeat(50_000),
      'convox.staging.yml': 'services:\n  web:\n    image: r/web:staging\n',
    });
    const { passed, inspection } = await tap(body);
    expect(passed.equals(body)).toBe(true);
    expect(inspection).toEqual({
      manifests: {
        'convox.yml': { web: 'r/web:abc', worker: null },
        'convox.staging.yml': { web: 'r/web:staging' },
      },
    });
  });

  it('strips a leading ./ from paths', async () => {
    const { inspection } = await tap(tgz({ './convox.yml': MANIFEST }));
    expect(Object.keys(inspection.manifests)).toEqual(['convox.yml']);
  });

  it('reports a non-archive upload without failing it', async () => {
    const body = Buffer.from('this is not a tarball at all'.repeat(100));
    const { passed, inspection } = await tap(body);
    expect(passed.equals(body)).toBe(true);
    expect(inspection.manifests).toEqual({});
  });

  it('passes a corrupt gzip upload through and says it could not read it', async () => {
    const good = tgz({ 'convox.yml': MANIFEST, 'big.bin': 'y'.repeat(200_000) });
    const body = Buffer.concat([good.subarray(0, 200), Buffer.alloc(5000, 7), good.subarray(200)]);
    const { passed, inspection } = await tap(body);
    expect(passed.equals(body)).toBe(true);
    expect(inspection.problem).toMatch(/^the upload is not a readable (gzip|source) archive/);
  });

  it('stops at an unsafe path and says so', async () => {
    const { inspection } = await tap(tgz({ '../convox.yml': MANIFEST, 'convox.yml': MANIFEST }));
    expect(inspection.problem).toBe('the archive holds an unsafe path: ../convox.yml');
  });

  it('ignores a manifest larger than the limit', async () => {
    const big = `services:\n  web:\n    image: r/web:1\n#${'x'.repeat(1024 * 1024 + 10)}\n`;
    const { inspection } = await tap(tgz({ 'convox.yml': big }));
    expect(inspection.manifests).toEqual({});
  });
});

describe('servicesOf', () => {
  it('reads images and marks built services', () => {
    expect(servicesOf(MANIFEST)).toEqual({ web: 'r/web:abc', worker: null });
  });

  it('answers undefined for text that is no manifest', () => {
    expect(servicesOf('- a\n- b\n')).toBeUndefined();
    expect(servicesOf('services: [1, 2]')).toBeUndefined();
    expect(servicesOf(': : :\n\t- bad')).toBeUndefined();
  });

  it('answers no services for a manifest without them', () => {
    expect(servicesOf('environment:\n  - A=1\n')).toEqual({});
  });
});
