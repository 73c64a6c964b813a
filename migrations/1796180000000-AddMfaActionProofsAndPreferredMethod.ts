import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two MFA additions:
 * - `mfa_action_proofs`: a passkey assertion made for one `always` action leaves a single-use proof, bound to
 *   the session that made it, stored only as SHA-256 and valid for two minutes. The next `always` request of
 *   that session consumes it with one DELETE … RETURNING, so a replay finds nothing. WebAuthn challenges get a
 *   third purpose, `action`, so an assertion for a proof cannot be spent on anything else.
 * - `mfa_methods.preferred`: the method a person's challenges open on. At most one per user (partial unique
 *   index); every enrolled user has one — the oldest confirmed method is chosen here for existing users.
 */
export class AddMfaActionProofsAndPreferredMethod1796180000000 implements MigrationInterface {
  name = 'AddMfaActionProofsAndPreferredMethod1796180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mfa_action_proofs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES user_sessions(id) ON DELETE CASCADE,
        proof_hash CHAR(64) NOT NULL UNIQUE,
        method_id UUID REFERENCES mfa_methods(id) ON DELETE CASCADE,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX mfa_action_proofs_session_idx ON mfa_action_proofs (session_id)');
    await queryRunner.query('ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_purpose_check');
    await queryRunner.query(
      `ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_check
         CHECK (purpose IN ('registration', 'authentication', 'action'))`,
    );
    await queryRunner.query('ALTER TABLE mfa_methods ADD COLUMN preferred BOOLEAN NOT NULL DEFAULT false');
    await queryRunner.query(
      'CREATE UNIQUE INDEX mfa_methods_one_preferred_idx ON mfa_methods (user_id) WHERE preferred',
    );
    await queryRunner.query(`
      UPDATE mfa_methods SET preferred = true
       WHERE id IN (SELECT DISTINCT ON (user_id) id FROM mfa_methods
                     WHERE confirmed_at IS NOT NULL ORDER BY user_id, created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX mfa_methods_one_preferred_idx');
    await queryRunner.query('ALTER TABLE mfa_methods DROP COLUMN preferred');
    await queryRunner.query("DELETE FROM mfa_challenges WHERE purpose = 'action'");
    await queryRunner.query('ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_purpose_check');
    await queryRunner.query(
      `ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_check
         CHECK (purpose IN ('registration', 'authentication'))`,
    );
    await queryRunner.query('DROP TABLE mfa_action_proofs');
  }
}
