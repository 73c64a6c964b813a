import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from './free-port';

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
}
