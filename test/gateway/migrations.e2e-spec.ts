import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { loadMigrations } from '../../src/database/migration-loader';
import { runMigrations } from '../../src/database/run-migrations';
import { createTestDatabase } from '../harness/test-database';

describe('migrations', () => {
  it('apply in order from an empty database and are idempotent', async () => {
    const dataSource = new DataSource(dataSourceOptions(await createTestDatabase()));
    await dataSource.initialize();
    try {
      const expected = loadMigrations().map((migration) => new migration().name);
      expect(expected.length).toBeGreaterThan(0);
      expect(await runMigrations(dataSource)).toEqual(expected);
      expect(await runMigrations(dataSource)).toEqual([]);
      const recorded = await dataSource.query('SELECT name FROM schema_migrations ORDER BY id');
      expect(recorded.map((row: { name: string }) => row.name)).toEqual(expected);
    } finally {
      await dataSource.destroy();
    }
  });

  it('are named <epoch-ms>-<PascalWhat> and each class name ends with that timestamp', () => {
    for (const migration of loadMigrations()) {
      const instance = new migration();
      expect(instance.name).toMatch(/^[A-Z][A-Za-z0-9]+\d{13}$/);
    }
  });
});
