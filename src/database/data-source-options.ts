import type { DataSourceOptions } from 'typeorm';
import { loadMigrations } from './migration-loader';

/**
 * Options shared by the Nest application and the operator scripts. `synchronize` is never on:
 * the schema changes only through migrations, applied explicitly by `runMigrations`.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: loadMigrations(),
    migrationsTableName: 'schema_migrations',
    // A database that does not answer fails a request within seconds (503) instead of hanging it.
    extra: { max: 20, application_name: 'rack-gateway', connectionTimeoutMillis: 5000 },
  };
}
