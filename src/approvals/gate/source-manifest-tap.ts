import { load } from 'js-yaml';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { ManifestServices } from './image-patterns';

/**
 * What the gate learned from an uploaded source tarball: the services of each convox manifest it holds
 * (by path inside the archive, e.g. `convox.yml`), or why it could not tell.
 */
export interface SourceInspection {
  readonly manifests: Readonly<Record<string, ManifestServices>>;
  /** Set when the archive could not be read to the end within the limits (the manifests may be incomplete). */
  readonly problem?: string;
}

export const SOURCE_LIMITS = {
  /** Archive entries looked at; a source tree with more is not inspected further. */
  entries: 10_000,
  /** Uncompressed bytes looked at. */
  bytes: 100 * 1024 * 1024,
  /** One manifest file. */
  manifestBytes: 1024 * 1024,
  /** Manifest files kept (convox.yml and variants such as convox.staging.yml). */
  manifests: 16,
  /** Directory depth of a manifest path. */
  manifestDepth: 4,
} as const;

/** `convox.yml`, `convox.staging.yml`, `deploy/convox.yaml` …: the files `manifest=` can name. */
const MANIFEST_NAME = /(^|\/)[A-Za-z0-9._-]*\.ya?ml$/;

/**
 * A pass-through stream put between the client's upload and the rack: every chunk goes on unchanged
 * and at once (the upload is never held back for the inspection), and a copy is fed to a tar parser
 * that keeps only manifest files, within the limits above. `inspection` settles when the upload ends.
 * A broken or hostile archive never fails the upload: it only makes `problem` say why.
 */
export class SourceManifestTap extends Transform {
  readonly inspection: Promise<SourceInspection>;
  private readonly parser: Parser;
  /** Gzip is undone by node's zlib on the thread pool, so the event loop only parses tar headers. */
  private gunzip?: Gunzip;
  private sawFirstChunk = false;
  private unpacked = 0;
  /** The whole upload went through (what is still being unpacked then finishes on its own). */
  private uploadEnded = false;
  private readonly collected = new Map<string, Buffer[]>();
  private entries = 0;
  private bytes = 0;
  private problem?: string;
  private feeding = true;
  private settle!: (result: SourceInspection) => void;

  constructor() {
    super();
    this.inspection = new Promise((resolve) => (this.settle = resolve));
    this.parser = new Parser({
      strict: false,
      onReadEntry: (entry: ReadEntry) => this.onEntry(entry),
    });
    this.parser.on('warn', (code: string, message: string | Error) => {
      if (code === 'TAR_ENTRY_INVALID' || code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT')
        this.stop(`the upload is not a readable source archive (${String(message)})`);
    });
    this.parser.on('error', (error: Error) =>
      this.stop(`the upload is not a readable source archive (${error.message})`),
    );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.push(chunk);
    if (!this.feeding) return callback();
    if (!this.sawFirstChunk) {
      this.sawFirstChunk = true;
      if (chunk[0] === 0x1f && chunk[1] === 0x8b) this.startGunzip();
    }
    if (!this.gunzip) {
      this.feedParser(chunk);
      return callback();
    }
    // The next chunk is taken once zlib has this one: memory stays bounded, the upload flows at zlib's pace.
    this.gunzip.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    this.uploadEnded = true;
    callback();
    if (!this.feeding) return this.finish();
    const endParser = () => {
      if (!this.feeding) return;
      this.parser.once('end', () => this.finish());
      try {
        this.parser.end();
      } catch (error) {
        this.stop(`the upload is not a readable source archive (${(error as Error).message})`);
      }
    };
    if (!this.gunzip) return endParser();
    this.gunzip.once('end', endParser);
    this.gunzip.end();
  }

  private startGunzip(): void {
    const gunzip = createGunzip();
    this.gunzip = gunzip;
    gunzip.on('data', (data: Buffer) => {
      this.unpacked += data.length;
      if (this.unpacked > SOURCE_LIMITS.bytes + SOURCE_LIMITS.entries * 1024) {
        return this.stop(
          `the archive unpacks to more than the gate reads (${SOURCE_LIMITS.bytes / 1024 / 1024} MiB)`,
        );
      }
      this.feedParser(data);
    });
    gunzip.on('error', (error: Error) =>
      this.stop(`the upload is not a readable gzip archive (${error.message})`),
    );
  }

  private feedParser(data: Buffer): void {
    if (!this.feeding) return;
    try {
      this.parser.write(data);
    } catch (error) {
      this.stop(`the upload is not a readable source archive (${(error as Error).message})`);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A finished stream is destroyed too (autoDestroy); only an upload cut short is a problem.
    if (error || !this.uploadEnded) this.stop('the upload did not finish');
    callback(error);
  }

  private onEntry(entry: ReadEntry): void {
    this.entries += 1;
    const path = entry.path.replace(/^(\.\/)+/, '');
    this.bytes += entry.size;
    if (this.entries > SOURCE_LIMITS.entries || this.bytes > SOURCE_LIMITS.bytes) {
      entry.resume();
      return this.stop(
        `the archive is larger than the gate reads (${SOURCE_LIMITS.entries} entries, ${SOURCE_LIMITS.bytes / 1024 / 1024} MiB)`,
      );
    }
    if (path.startsWith('/') || path.split('/').includes('..')) {
      entry.resume();
      return this.stop(`the archive holds an unsafe path: ${path.slice(0, 200)}`);
    }
    const wanted =
      entry.type === 'File' &&
      MANIFEST_NAME.test(path) &&
      path.split('/').length <= SOURCE_LIMITS.manifestDepth &&
      this.collected.size < SOURCE_LIMITS.manifests;
    if (!wanted || entry.size > SOURCE_LIMITS.manifestBytes) {
      entry.resume();
      return;
    }
    const chunks: Buffer[] = [];
    this.collected.set(path, chunks);
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  }

  private stop(problem: string): void {
    if (!this.feeding) return;
    this.feeding = false;
    this.problem = problem;
    this.parser.removeAllListeners('end');
    // Nothing more is read; zlib keeps accepting (and dropping) the rest so the upload is never held up.
    this.gunzip?.removeAllListeners('data').resume();
    try {
      this.parser.abort(new Error(problem));
    } catch {
      // already torn down
    }
    this.finish();
  }

  private finish(): void {
    const manifests: Record<string, ManifestServices> = {};
    for (const [path, chunks] of this.collected) {
      const services = servicesOf(Buffer.concat(chunks).toString('utf8'));
      if (services) manifests[path] = services;
    }
    this.settle(this.problem ? { manifests, problem: this.problem } : { manifests });
  }
}

/** `services.<name>.image` of a convox manifest, or undefined when the text is not one. */
export function servicesOf(text: string): ManifestServices | undefined {
  let document: unknown;
  try {
    document = load(text);
  } catch {
    return undefined;
  }
  if (!isObject(document)) return undefined;
  const services = document.services;
  if (services === undefined || services === null) return {};
  if (!isObject(services)) return undefined;
  const out: Record<string, string | null> = {};
  for (const [name, service] of Object.entries(services)) {
    const image = isObject(service) ? service.image : undefined;
    out[name] = typeof image === 'string' && image.trim() !== '' ? image.trim() : null;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
