import { MigrationInterface, QueryRunner } from 'typeorm';

/** Key/value settings editable by admins (global and per app), e.g. secret and protected env keys. */
export class CreateSettings1764384000000 implements MigrationInterface {
  name = 'CreateSettings1764384000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE gateway_settings (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_by TEXT,
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE gateway_settings');
  }
}
