import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from './free-port';

// The run's server is thrown away afterwards, so nothing needs to survive a crash: commits need not wait for
// the disk. Creating the many databases of a run, and every commit in them, gets cheaper.
const THROWAWAY_SERVER_SETTINGS = ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'];

/**
 * One real PostgreSQL server for the whole e2e run; each test file creates its own database in it
 * (see createTestDatabase), so files can run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgw-test-pg-'));
  const port = await freePort();
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  (globalThis as Record<string, unknown>).__RGW_PG__ = server;
  process.env.RGW_TEST_PG_ADMIN_URL = server.adminUrl;
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    for (const setting of THROWAWAY_SERVER_SETTINGS) await admin.query(`ALTER SYSTEM SET ${setting}`);
    await admin.query('SELECT pg_reload_conf()');
  } finally {
    await admin.end();
  }
}
