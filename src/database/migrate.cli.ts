import { DataSource } from 'typeorm';
import { operatorSetup } from '../dev/operator-setup';
import { errorMessage } from '../errors/error-message';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

/**
 * `npm run migrate`: applies pending migrations and prints what it applied. Without DATABASE_URL it
 * migrates the development stack's database (running or not).
 */
async function main(): Promise<void> {
  const setup = await operatorSetup(process.env);
  try {
    const dataSource = new DataSource(dataSourceOptions(setup.databaseUrl));
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource);
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await setup.release();
  }
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
