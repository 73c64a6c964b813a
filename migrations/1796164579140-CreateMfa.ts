import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second factors: TOTP and WebAuthn methods, backup codes, server-held WebAuthn challenges, trusted devices,
 * verification attempts (for limits and lockout), CLI step-ups approved in a browser with a passkey, and each
 * session's MFA state. TOTP secrets are stored
 * sealed (AES-256-GCM), backup codes and device tokens only as keyed or plain hashes.
 */
export class CreateMfa1796164579140 implements MigrationInterface {
  name = 'CreateMfa1796164579140';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mfa_methods (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('totp', 'webauthn')),
        label TEXT NOT NULL,
        secret_sealed TEXT,
        last_used_step BIGINT,
        credential_id TEXT UNIQUE,
        public_key BYTEA,
        sign_count BIGINT NOT NULL DEFAULT 0,
        transports TEXT[] NOT NULL DEFAULT '{}',
        cli_capable BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        confirmed_at TIMESTAMPTZ,
        last_used_at TIMESTAMPTZ
      )`);
    await queryRunner.query('CREATE INDEX mfa_methods_user_idx ON mfa_methods (user_id)');
    await queryRunner.query(`
      CREATE TABLE mfa_backup_codes (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        used_at TIMESTAMPTZ,
        UNIQUE (user_id, code_hash)
      )`);
    await queryRunner.query(`
      CREATE TABLE mfa_challenges (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES user_sessions(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'authentication')),
        challenge TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX mfa_challenges_session_idx ON mfa_challenges (session_id)');
    await queryRunner.query(`
      CREATE TABLE mfa_trusted_devices (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash CHAR(64) NOT NULL UNIQUE,
        label TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        last_used_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ,
        revoked_reason TEXT
      )`);
    await queryRunner.query('CREATE INDEX mfa_trusted_devices_user_idx ON mfa_trusted_devices (user_id)');
    await queryRunner.query(`
      CREATE TABLE mfa_attempts (
        id BIGSERIAL PRIMARY KEY,
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family TEXT NOT NULL CHECK (family IN ('code', 'webauthn')),
        success BOOLEAN NOT NULL,
        reason TEXT NOT NULL,
        attempted_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX mfa_attempts_user_time_idx ON mfa_attempts (user_id, attempted_at)',
    );
    await queryRunner.query(`
      CREATE TABLE mfa_cli_approvals (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id UUID NOT NULL REFERENCES user_sessions(id) ON DELETE CASCADE,
        code_challenge TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'completed')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE mfa_session_states (
        session_id UUID PRIMARY KEY REFERENCES user_sessions(id) ON DELETE CASCADE,
        verified_at TIMESTAMPTZ,
        step_up_at TIMESTAMPTZ,
        trusted_device_id UUID REFERENCES mfa_trusted_devices(id) ON DELETE SET NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'mfa_session_states',
      'mfa_cli_approvals',
      'mfa_attempts',
      'mfa_trusted_devices',
      'mfa_challenges',
      'mfa_backup_codes',
      'mfa_methods',
    ])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
