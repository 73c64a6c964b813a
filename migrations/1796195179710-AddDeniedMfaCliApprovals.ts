import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A CLI step-up can be refused in the browser: a person who did not run the command denies it, and the
 * CLI's poll ends with that answer instead of waiting out the five minutes.
 */
export class AddDeniedMfaCliApprovals1796195179710 implements MigrationInterface {
  name = 'AddDeniedMfaCliApprovals1796195179710';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE mfa_cli_approvals DROP CONSTRAINT mfa_cli_approvals_status_check');
    await queryRunner.query(
      `ALTER TABLE mfa_cli_approvals ADD CONSTRAINT mfa_cli_approvals_status_check
         CHECK (status IN ('pending', 'approved', 'completed', 'denied'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM mfa_cli_approvals WHERE status = 'denied'");
    await queryRunner.query('ALTER TABLE mfa_cli_approvals DROP CONSTRAINT mfa_cli_approvals_status_check');
    await queryRunner.query(
      `ALTER TABLE mfa_cli_approvals ADD CONSTRAINT mfa_cli_approvals_status_check
         CHECK (status IN ('pending', 'approved', 'completed'))`,
    );
  }
}
