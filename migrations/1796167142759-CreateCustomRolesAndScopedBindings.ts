import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles become data: admins define custom roles next to the built-in ones (which stay in code), and a
 * user's role may be bound to some apps only. A user's existing `roles` stay exactly as they were: they
 * are the unscoped bindings; app-scoped bindings live beside them, so code that only knows `roles`
 * grants less, never more. The last index answers "when did this actor last use this permission" in
 * one index scan per actor.
 */
export class CreateCustomRolesAndScopedBindings1796167142759 implements MigrationInterface {
  name = 'CreateCustomRolesAndScopedBindings1796167142759';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE custom_roles (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        permissions TEXT[] NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_by TEXT
      )`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN scoped_roles JSONB NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(
      `CREATE INDEX audit_events_actor_action_last ON audit_events (actor_email, action, occurred_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX audit_events_actor_action_last');
    await queryRunner.query('ALTER TABLE users DROP COLUMN scoped_roles');
    await queryRunner.query('DROP TABLE custom_roles');
  }
}
