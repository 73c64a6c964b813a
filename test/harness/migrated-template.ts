import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/run-migrations';
import { JOBS_SCHEMA } from '../../src/jobs/jobs-schema';

/** The database every migrated test database is copied from; built once per run by whichever file asks first. */
export const MIGRATED_TEMPLATE = 'rgw_template_migrated';

// Key of the advisory lock (taken in the run's `postgres` database) under which the template is built, so
// parallel Jest workers build it once; the gateway's own lock keys are 728443219 and up.
const TEMPLATE_LOCK_KEY = 728443300;

/**
 * Makes sure the run's PostgreSQL server holds MIGRATED_TEMPLATE: every migration applied and the job queue's
 * schema created, exactly what a gateway's first boot does before it seeds anything from its own settings.
 * Copying it (`CREATE DATABASE … TEMPLATE`) takes a fraction of the seconds a first boot spends migrating.
 * It is built under another name and renamed when complete, so a copy never sees half a schema.
 */
export async function ensureMigratedTemplate(adminUrl: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [MIGRATED_TEMPLATE]);
    if (existing.rowCount === 0) await buildTemplate(admin, adminUrl);
  } finally {
    await admin.end();
  }
}

async function buildTemplate(admin: Client, adminUrl: string): Promise<void> {
  const building = `${MIGRATED_TEMPLATE}_building`;
  await admin.query(`DROP DATABASE IF EXISTS ${building}`);
  await admin.query(`CREATE DATABASE ${building}`);
  const url = new URL(adminUrl);
  url.pathname = `/${building}`;

  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  // The SQL pg-boss runs when it finds no schema (its `start()` then only checks the version).
  const jobs = new Client({ connectionString: url.toString() });
  await jobs.connect();
  try {
    await jobs.query(PgBoss.getConstructionPlans(JOBS_SCHEMA));
  } finally {
    await jobs.end();
  }
  await admin.query(`ALTER DATABASE ${building} RENAME TO ${MIGRATED_TEMPLATE}`);
}
