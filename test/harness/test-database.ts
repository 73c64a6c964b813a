import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureMigratedTemplate, MIGRATED_TEMPLATE } from './migrated-template';

function adminUrl(): string {
  const url = process.env.RGW_TEST_PG_ADMIN_URL;
  if (!url)
    throw new Error('RGW_TEST_PG_ADMIN_URL is not set: run through jest (test/harness/global-setup.ts)');
  return url;
}

async function createDatabase(template?: string): Promise<string> {
  const name = `rgw_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database in the run's PostgreSQL server and returns its URL. */
export function createTestDatabase(): Promise<string> {
  return createDatabase();
}

/**
 * Creates a database that already holds the gateway's schema (all migrations, the job queue's tables) and
 * nothing else, as a first boot would leave it before seeding: a gateway started on it skips the migrations.
 * Tests about migrating an empty database use createTestDatabase.
 */
export async function createMigratedTestDatabase(): Promise<string> {
  await ensureMigratedTemplate(adminUrl());
  return createDatabase(MIGRATED_TEMPLATE);
}
