import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Creates an empty database in the run's PostgreSQL server and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.RGW_TEST_PG_ADMIN_URL;
  if (!adminUrl)
    throw new Error('RGW_TEST_PG_ADMIN_URL is not set: run through jest (test/harness/global-setup.ts)');
  const name = `rgw_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
