import { DataSource } from 'typeorm';

/**
 * Applies pending migrations in one transaction and returns the names applied, so the caller can log
 * exactly what changed. Running it again on an up-to-date database applies nothing.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'all' });
  return applied.map((migration) => migration.name);
}
