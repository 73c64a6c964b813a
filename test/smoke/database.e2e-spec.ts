import { Client } from 'pg';
import { createTestDatabase } from '../harness/test-database';

describe('test PostgreSQL', () => {
  it('gives each file its own real database', async () => {
    const url = await createTestDatabase();
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS db, version() AS v');
    await client.end();
    expect(rows[0].db).toMatch(/^rgw_test_/);
    expect(rows[0].v).toMatch(/PostgreSQL/);
  });
});
