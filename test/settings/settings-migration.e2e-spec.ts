import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { loadMigrations } from '../../src/database/migration-loader';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';
import { createTestDatabase } from '../harness/test-database';
import { ApiTokensService } from '../../src/tokens/api-tokens.service';
import { UsersService } from '../../src/users/users.service';

const MOVE = /^MoveEnvKeySettingsIntoRegistry/;

describe('migration of the per-app env key settings into the registry', () => {
  let gateway: TestGateway;

  afterAll(async () => {
    await gateway?.close();
  });

  it('keeps every existing per-app value, now under the registry keys and in force', async () => {
    const url = await createTestDatabase();
    // The schema as it was before the move, with values an operator stored by hand.
    const all = loadMigrations();
    const before = all.slice(
      0,
      all.findIndex((migration) => MOVE.test(String(new migration().name))),
    );
    const old = new DataSource({ ...dataSourceOptions(url), migrations: before });
    await old.initialize();
    await old.runMigrations({ transaction: 'all' });
    await old.query(
      `INSERT INTO gateway_settings (scope, key, value) VALUES
         ('app:web', 'protected_env_vars', '["REDIS_URL", " port ", 42]'),
         ('app:web', 'secret_env_vars', '["stripe_*", "STRIPE_*", "NOT A KEY"]'),
         ('app:api', 'secret_env_vars', '["SENTRY_DSN"]')`,
    );
    await old.destroy();

    gateway = await startTestGateway({ DATABASE_URL: url, ADMIN_USERS: 'admin@example.com' });
    const admin = await gateway.app.get(UsersService).getByEmail('admin@example.com');
    const { token } = await gateway.app
      .get(ApiTokensService)
      .create(
        admin,
        { name: 'settings', permissions: ['gateway:settings:read'] },
        { email: admin.email, permissions: ['gateway:*:*'] },
      );
    const read = async (app: string, key: string) => {
      const res = await fetch(`${gateway.url}/api/v1/apps/${app}/settings/${key}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return res.json() as Promise<{ value: unknown; source: string }>;
    };
    expect(await read('web', 'env.app_protected_keys')).toMatchObject({
      value: ['REDIS_URL', 'PORT'],
      source: 'database',
    });
    expect(await read('web', 'env.app_secret_keys')).toMatchObject({
      value: ['STRIPE_*'],
      source: 'database',
    });
    expect(await read('api', 'env.app_secret_keys')).toMatchObject({
      value: ['SENTRY_DSN'],
      source: 'database',
    });
    const leftovers = await gateway.app
      .get(DataSource)
      .query(`SELECT 1 FROM gateway_settings WHERE key IN ('protected_env_vars', 'secret_env_vars')`);
    expect(leftovers).toHaveLength(0);
  });
});
