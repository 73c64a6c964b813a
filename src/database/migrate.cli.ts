import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';
import { startEmbeddedPostgres } from './embedded-postgres';
import { join, resolve } from 'node:path';

/** `npm run migrate`: applies pending migrations and prints what it applied. */
async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', ...process.env });
  let url = config.database.url;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: resolve(join(config.database.dataDir, 'postgres')),
      port: config.database.embeddedPort,
      persistent: true,
    });
    url = server.databaseUrl;
    stop = server.stop;
  }
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await dataSource.destroy();
    await stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
