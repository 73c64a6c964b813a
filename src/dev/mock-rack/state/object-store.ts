import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RackError } from '../http/rack-error';
import { randomHex } from './convox-ids';

/**
 * Objects live on disk under `<root>/<app>/<key>`. Uploads are piped to a temporary file and renamed,
 * so a half-received body never shows up as an object and nothing is held in memory.
 */
export class ObjectStore {
  constructor(readonly root: string) {}

  /** The rack's key sanitising: `..` anywhere is refused; an empty key gets a generated tmp name. */
  normaliseKey(key: string): string {
    if (key === '') return `tmp/${randomHex(15)}`;
    if (key.split('/').includes('..') || key.includes('\\') || key.includes('\0')) {
      throw RackError.badRequest(`invalid key: ${key}`);
    }
    return key;
  }

  private fileFor(app: string, key: string): string {
    const appDir = resolve(this.root, app);
    const file = resolve(appDir, key.replace(/^\/+/, ''));
    if (!file.startsWith(appDir + sep)) throw RackError.badRequest(`invalid key: ${key}`);
    return file;
  }

  /** Streams `source` into the object and resolves with the number of bytes stored. */
  async store(app: string, key: string, source: Readable): Promise<number> {
    const file = this.fileFor(app, key);
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.${randomHex(4)}.partial`;
    try {
      await pipeline(source, createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return (await stat(file)).size;
  }

  async size(app: string, key: string): Promise<number | undefined> {
    try {
      const info = await stat(this.fileFor(app, key));
      return info.isFile() ? info.size : undefined;
    } catch {
      return undefined;
    }
  }

  async exists(app: string, key: string): Promise<boolean> {
    return (await this.size(app, key)) !== undefined;
  }

  async fetchTo(app: string, key: string, target: Writable): Promise<void> {
    await pipeline(createReadStream(this.fileFor(app, key)), target);
  }

  async remove(app: string, key: string): Promise<void> {
    await rm(this.fileFor(app, key), { force: true });
  }

  async list(app: string, prefix: string): Promise<string[]> {
    const appDir = join(this.root, app);
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.partial')) keys.push(relative(appDir, full).split(sep).join('/'));
      }
    };
    await walk(appDir);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** `object://<app>/<key>` → key, if the URL names this app. */
  static keyFromUrl(app: string, url: string): string | undefined {
    const prefix = `object://${app}/`;
    return url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
  }
}
