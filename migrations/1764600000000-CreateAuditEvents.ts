import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: one row per auditable event, hash-chained (see src/audit/audit-chain.ts), and the
 * retention checkpoints that let verification resume after old rows are pruned. A trigger keeps the
 * chained columns immutable and allows deletes only to the retention job (which sets a local flag); a
 * database owner can still bypass it, which is what the HMAC chain is for.
 */
export class CreateAuditEvents1764600000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(`
      CREATE TABLE audit_events (
        chain_index BIGINT PRIMARY KEY CHECK (chain_index >= 0),
        id UUID NOT NULL UNIQUE,
        occurred_at TIMESTAMPTZ NOT NULL,
        request_id TEXT NOT NULL DEFAULT '',
        actor_type TEXT NOT NULL,
        actor_email TEXT NOT NULL DEFAULT '',
        actor_user_id TEXT NOT NULL DEFAULT '',
        token_id TEXT NOT NULL DEFAULT '',
        token_name TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL DEFAULT '',
        client_ip TEXT NOT NULL DEFAULT '',
        user_agent TEXT NOT NULL DEFAULT '',
        rack TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        resource_type TEXT NOT NULL DEFAULT '',
        resource_name TEXT NOT NULL DEFAULT '',
        app TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
        rule TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '{}',
        chain_value BYTEA NOT NULL,
        status INTEGER,
        result TEXT NOT NULL DEFAULT 'open',
        latency_ms INTEGER,
        bytes_in BIGINT,
        bytes_out BIGINT,
        outcome_details TEXT,
        completed_at TIMESTAMPTZ,
        event_count INTEGER NOT NULL DEFAULT 1,
        last_at TIMESTAMPTZ NOT NULL,
        fold_key TEXT,
        outcome_mac BYTEA
      )`);
    // Every list query orders by chain_index DESC (newest first); these serve its filters.
    await queryRunner.query('CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at)');
    await queryRunner.query(
      'CREATE INDEX audit_events_actor ON audit_events (actor_email, chain_index DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX audit_events_action ON audit_events (action text_pattern_ops, chain_index DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_name, chain_index DESC)',
    );
    await queryRunner.query(
      "CREATE INDEX audit_events_app ON audit_events (app, chain_index DESC) WHERE app <> ''",
    );
    await queryRunner.query(
      "CREATE INDEX audit_events_not_allowed ON audit_events (decision, chain_index DESC) WHERE decision <> 'allow'",
    );
    await queryRunner.query(
      'CREATE INDEX audit_events_failed_status ON audit_events (status, chain_index DESC) WHERE status >= 400',
    );
    await queryRunner.query('CREATE INDEX audit_events_request_id ON audit_events (request_id)');
    await queryRunner.query(
      'CREATE INDEX audit_events_path_trgm ON audit_events USING gin (path gin_trgm_ops)',
    );
    await queryRunner.query(
      'CREATE INDEX audit_events_fold ON audit_events (fold_key, chain_index DESC) WHERE fold_key IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE audit_chain_checkpoints (
        id BIGSERIAL PRIMARY KEY,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        through_index BIGINT NOT NULL UNIQUE,
        chain_value BYTEA NOT NULL,
        pruned_count BIGINT NOT NULL,
        mac BYTEA NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF current_setting('rack_gateway.audit_prune', true) = 'on' THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'audit_events is append-only (deletes are for the retention job)';
        END IF;
        IF (NEW.chain_index, NEW.id, NEW.occurred_at, NEW.request_id, NEW.actor_type, NEW.actor_email,
            NEW.actor_user_id, NEW.token_id, NEW.token_name, NEW.channel, NEW.client_ip, NEW.user_agent,
            NEW.rack, NEW.action, NEW.resource_type, NEW.resource_name, NEW.app, NEW.method, NEW.path,
            NEW.decision, NEW.rule, NEW.details, NEW.chain_value)
           IS DISTINCT FROM
           (OLD.chain_index, OLD.id, OLD.occurred_at, OLD.request_id, OLD.actor_type, OLD.actor_email,
            OLD.actor_user_id, OLD.token_id, OLD.token_name, OLD.channel, OLD.client_ip, OLD.user_agent,
            OLD.rack, OLD.action, OLD.resource_type, OLD.resource_name, OLD.app, OLD.method, OLD.path,
            OLD.decision, OLD.rule, OLD.details, OLD.chain_value) THEN
          RAISE EXCEPTION 'audit_events: only the outcome of an event may be written after insert';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_guard BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_guard()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_chain_checkpoints');
    await queryRunner.query('DROP TABLE audit_events');
    await queryRunner.query('DROP FUNCTION audit_events_guard()');
  }
}
