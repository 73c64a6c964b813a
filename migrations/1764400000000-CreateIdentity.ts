import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, their sessions and API tokens, and the two short-lived login tables (OAuth state and pending CLI
 * logins). Credentials are stored only as SHA-256 hashes; lookups go by hash through a unique index.
 */
export class CreateIdentity1764400000000 implements MigrationInterface {
  name = 'CreateIdentity1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
        name TEXT NOT NULL DEFAULT '',
        roles TEXT[] NOT NULL DEFAULT '{}',
        locked_at TIMESTAMPTZ,
        locked_reason TEXT,
        locked_by TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_seen_at TIMESTAMPTZ
      )`);
    await queryRunner.query(`
      CREATE TABLE user_sessions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash CHAR(64) NOT NULL UNIQUE,
        channel TEXT NOT NULL CHECK (channel IN ('web', 'cli')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        idle_timeout_seconds INTEGER NOT NULL,
        absolute_expires_at TIMESTAMPTZ NOT NULL,
        ip_address TEXT,
        user_agent TEXT,
        device_name TEXT,
        revoked_at TIMESTAMPTZ,
        revoked_by TEXT,
        revoked_reason TEXT
      )`);
    await queryRunner.query('CREATE INDEX user_sessions_user_idx ON user_sessions (user_id, revoked_at)');
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash CHAR(64) NOT NULL UNIQUE,
        name TEXT NOT NULL,
        owner_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by TEXT NOT NULL,
        permissions TEXT[] NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ,
        last_used_at TIMESTAMPTZ,
        last_used_ip TEXT,
        revoked_at TIMESTAMPTZ,
        revoked_by TEXT
      )`);
    await queryRunner.query('CREATE INDEX api_tokens_owner_idx ON api_tokens (owner_id)');
    await queryRunner.query(`
      CREATE TABLE oauth_login_states (
        state_hash CHAR(64) PRIMARY KEY,
        code_verifier TEXT NOT NULL,
        nonce TEXT NOT NULL,
        return_to TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE cli_logins (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        code_challenge TEXT NOT NULL,
        user_code TEXT NOT NULL,
        device_name TEXT,
        requester_ip TEXT,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'denied', 'completed')),
        user_id UUID REFERENCES users(id) ON DELETE CASCADE,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cli_logins', 'oauth_login_states', 'api_tokens', 'user_sessions', 'users']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
