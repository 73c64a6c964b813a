import { MigrationInterface, QueryRunner } from 'typeorm';

const RENAMED: [before: string, after: string][] = [
  ['secret_env_vars', 'env.app_secret_keys'],
  ['protected_env_vars', 'env.app_protected_keys'],
];

const ENV_KEY_PATTERN = /^[A-Z0-9_*]{1,128}$/;

/**
 * The per-app env key lists predate the settings registry: they move to its keys, keeping their
 * entries. Entries are upper-cased and de-duplicated as the registry stores them (names always matched
 * case-insensitively); non-strings (which the old reader ignored) and entries that could never match an
 * env key (spaces, punctuation) are dropped. A value already stored under the new key wins.
 */
export class MoveEnvKeySettingsIntoRegistry1796163278336 implements MigrationInterface {
  name = 'MoveEnvKeySettingsIntoRegistry1796163278336';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [before, after] of RENAMED) {
      const rows = (await queryRunner.query('SELECT scope, value FROM gateway_settings WHERE key = $1', [
        before,
      ])) as { scope: string; value: unknown }[];
      for (const row of rows) {
        await queryRunner.query(
          `INSERT INTO gateway_settings (scope, key, value, updated_at, updated_by)
           VALUES ($1, $2, $3::jsonb, now(), 'migration') ON CONFLICT (scope, key) DO NOTHING`,
          [row.scope, after, JSON.stringify(envKeyList(row.value))],
        );
      }
      await queryRunner.query('DELETE FROM gateway_settings WHERE key = $1', [before]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [before, after] of RENAMED) {
      await queryRunner.query('UPDATE gateway_settings SET key = $1 WHERE key = $2', [before, after]);
    }
  }
}

function envKeyList(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : [];
  const keys = entries
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => ENV_KEY_PATTERN.test(entry));
  return [...new Set(keys)];
}
