import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config';
import { startDevelopmentDatabase } from '../database/development-database';
import { devStackSecrets } from './dev-secrets';

/** The settings an operator command runs with, and how to let go of the database afterwards. */
export interface OperatorSetup {
  env: Record<string, string | undefined>;
  databaseUrl: string;
  release(): Promise<void>;
}

/**
 * Where `npm run manage`, `migrate` and `audit:verify` find their database and keys. With DATABASE_URL set
 * (production, or any explicit setup) the environment is used as it is. Otherwise this is the development
 * setup `npm start` made: the embedded PostgreSQL under DATA_DIR (the running stack's server if there is
 * one, else started for this command and stopped after it) and the keys kept beside it.
 */
export async function operatorSetup(env: Record<string, string | undefined>): Promise<OperatorSetup> {
  if (env.DATABASE_URL) {
    return { env, databaseUrl: env.DATABASE_URL, release: async () => undefined };
  }
  const config = loadConfig({ NODE_ENV: 'development', ...env });
  const dataDir = resolve(config.database.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const server = await startDevelopmentDatabase({
    dataDir: clusterDir,
    port: config.database.embeddedPort,
    persistent: true,
    whenRunning: 'reuse',
  });
  console.error(
    server.reused
      ? `using the development database of the running stack (${clusterDir})`
      : `started the development database in ${clusterDir} for this command (the stack is not running)`,
  );
  return {
    env: { ...env, ...devStackSecrets(dataDir, env), DATABASE_URL: server.databaseUrl },
    databaseUrl: server.databaseUrl,
    release: () => server.stop(),
  };
}
