import { DataSource } from 'typeorm';

// Key of the PostgreSQL advisory lock held while migrations run (the audit chain uses 728443219).
const MIGRATION_LOCK_KEY = 728443220;

/**
 * Applies pending migrations in one transaction and returns the names applied, so the caller can log
 * exactly what changed. Running it again on an up-to-date database applies nothing. Replicas that boot
 * together (a deploy of two processes) take turns under an advisory lock: the first applies, the others
 * wait and then find nothing pending, instead of racing to create the same tables.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((migration) => migration.name);
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockHolder.release();
  }
}
