import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deploy approval requests: one target API token, one app, one full commit, and what the approval was used
 * for. People and tokens are soft references (ids plus the names they had), so deleting a token or a user
 * never deletes approval history. The state machine is enforced here as well as in code: a trigger refuses
 * every illegal status change, any change to a row in a terminal state, changes to what was requested, and
 * tracking values written twice. At most one open (pending or approved) request exists per token, app and
 * commit; `expired` is persisted, so an expired request leaves that index.
 */
export class CreateDeployApprovalRequests1796173058767 implements MigrationInterface {
  name = 'CreateDeployApprovalRequests1796173058767';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deploy_approval_requests (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled', 'expired', 'deployed')),
        app TEXT NOT NULL CHECK (app ~ '^[a-z][a-z0-9-]{0,62}$'),
        git_commit TEXT NOT NULL CHECK (git_commit ~ '^[0-9a-f]{40}$'),
        git_branch TEXT CHECK (git_branch IS NULL OR length(git_branch) BETWEEN 1 AND 255),
        message TEXT NOT NULL CHECK (length(btrim(message)) > 0),
        ci_metadata JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(ci_metadata) = 'object'),
        pr_url TEXT,
        ci_url TEXT,
        target_token_id UUID NOT NULL,
        target_token_name TEXT NOT NULL,
        target_token_owner_id UUID NOT NULL,
        target_token_owner_email TEXT NOT NULL,
        created_by_kind TEXT NOT NULL CHECK (created_by_kind IN ('user', 'token')),
        created_by_user_id UUID NOT NULL,
        created_by_email TEXT NOT NULL,
        created_by_token_id UUID,
        created_by_token_name TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        approved_at TIMESTAMPTZ,
        approved_by_user_id UUID,
        approved_by_email TEXT,
        approval_notes TEXT,
        rejected_at TIMESTAMPTZ,
        rejected_by_user_id UUID,
        rejected_by_email TEXT,
        rejection_notes TEXT,
        cancelled_at TIMESTAMPTZ,
        cancelled_by_email TEXT,
        cancellation_notes TEXT,
        expired_at TIMESTAMPTZ,
        deployed_at TIMESTAMPTZ,
        object_url TEXT,
        build_id TEXT,
        release_id TEXT,
        process_ids TEXT[] NOT NULL DEFAULT '{}',
        exec_commands JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(exec_commands) = 'array'),
        CHECK (status NOT IN ('approved', 'deployed') OR (approved_at IS NOT NULL AND approved_by_email IS NOT NULL)),
        CHECK (status <> 'rejected' OR (rejected_at IS NOT NULL AND rejected_by_email IS NOT NULL)),
        CHECK (status <> 'cancelled' OR (cancelled_at IS NOT NULL AND cancelled_by_email IS NOT NULL)),
        CHECK (status <> 'expired' OR expired_at IS NOT NULL),
        CHECK (status <> 'deployed' OR (deployed_at IS NOT NULL AND release_id IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX deploy_approval_requests_one_open
        ON deploy_approval_requests (target_token_id, app, git_commit)
        WHERE status IN ('pending', 'approved')`);
    await queryRunner.query(
      'CREATE INDEX deploy_approval_requests_created ON deploy_approval_requests (created_at DESC, id DESC)',
    );
    await queryRunner.query(
      `CREATE INDEX deploy_approval_requests_open_expiry ON deploy_approval_requests (expires_at)
         WHERE status IN ('pending', 'approved')`,
    );
    await queryRunner.query(
      'CREATE INDEX deploy_approval_requests_token_app ON deploy_approval_requests (target_token_id, app, status)',
    );
    await queryRunner.query(
      'CREATE INDEX deploy_approval_requests_build ON deploy_approval_requests (build_id) WHERE build_id IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX deploy_approval_requests_release ON deploy_approval_requests (release_id) WHERE release_id IS NOT NULL',
    );
    await queryRunner.query(STATE_MACHINE_FUNCTION);
    await queryRunner.query(`
      CREATE TRIGGER deploy_approval_requests_state_machine
        BEFORE UPDATE ON deploy_approval_requests
        FOR EACH ROW EXECUTE FUNCTION deploy_approval_requests_guard()`);
    // Audit events name the request they belong to in `approvalRequestId` of their details (recorded before
    // the call) or their outcome (learned while it ran). Details over 8000 characters are cut and no longer
    // JSON, so the id is taken out with a pattern (a JSON cast could fail and with it the audit write).
    await queryRunner.query(`
      CREATE INDEX audit_events_approval_details ON audit_events ((${APPROVAL_ID_IN('details')}))
        WHERE details LIKE '%"approvalRequestId"%'`);
    await queryRunner.query(`
      CREATE INDEX audit_events_approval_outcome ON audit_events ((${APPROVAL_ID_IN('outcome_details')}))
        WHERE outcome_details LIKE '%"approvalRequestId"%'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX audit_events_approval_outcome');
    await queryRunner.query('DROP INDEX audit_events_approval_details');
    await queryRunner.query('DROP TABLE deploy_approval_requests');
    await queryRunner.query('DROP FUNCTION deploy_approval_requests_guard()');
  }
}

/** The SQL that takes the approval request id out of an audit event's JSON text (src/approvals/approval-audit.ts matches it). */
const APPROVAL_ID_IN = (column: string): string =>
  `substring(${column} from '"approvalRequestId":"([0-9a-f-]{36})"')`;

/**
 * Legal transitions: pending → approved | rejected | cancelled | expired; approved → deployed | rejected |
 * cancelled | expired; approved → approved only to extend the expiry of an unexpired approval or to record
 * tracking. Terminal rows (rejected, cancelled, expired, deployed) never change. Tracking values are
 * written once, and only while approved; process ids and exec commands only grow.
 */
const STATE_MACHINE_FUNCTION = `
CREATE FUNCTION deploy_approval_requests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  transition TEXT := OLD.status || ' -> ' || NEW.status;
BEGIN
  IF OLD.status IN ('rejected', 'cancelled', 'expired', 'deployed') THEN
    RAISE EXCEPTION 'deploy approval request % is %: a terminal request never changes', OLD.id, OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status <> OLD.status AND transition NOT IN (
    'pending -> approved', 'pending -> rejected', 'pending -> cancelled', 'pending -> expired',
    'approved -> deployed', 'approved -> rejected', 'approved -> cancelled', 'approved -> expired'
  ) THEN
    RAISE EXCEPTION 'illegal deploy approval transition %', transition USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.id, NEW.app, NEW.git_commit, NEW.git_branch, NEW.message, NEW.ci_metadata, NEW.target_token_id,
      NEW.target_token_name, NEW.target_token_owner_id, NEW.target_token_owner_email, NEW.created_by_kind,
      NEW.created_by_user_id, NEW.created_by_email, NEW.created_by_token_id, NEW.created_by_token_name,
      NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.app, OLD.git_commit, OLD.git_branch, OLD.message, OLD.ci_metadata, OLD.target_token_id,
      OLD.target_token_name, OLD.target_token_owner_id, OLD.target_token_owner_email, OLD.created_by_kind,
      OLD.created_by_user_id, OLD.created_by_email, OLD.created_by_token_id, OLD.created_by_token_name,
      OLD.created_at) THEN
    RAISE EXCEPTION 'what a deploy approval request asks for never changes' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'approved' AND OLD.status = 'pending' AND OLD.expires_at <= now() THEN
    RAISE EXCEPTION 'deploy approval request % expired at %', OLD.id, OLD.expires_at
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'expired' AND OLD.expires_at > now() THEN
    RAISE EXCEPTION 'deploy approval request % does not expire before %', OLD.id, OLD.expires_at
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'approved' AND NEW.status = 'approved' AND NEW.expires_at IS DISTINCT FROM OLD.expires_at
     AND (OLD.expires_at <= now() OR NEW.expires_at < OLD.expires_at) THEN
    RAISE EXCEPTION 'an approval can only be extended before it expires, and only forwards'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = OLD.status AND NEW.status = 'pending' AND NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
    RAISE EXCEPTION 'a pending request keeps its expiry' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.object_url IS DISTINCT FROM OLD.object_url AND OLD.object_url IS NOT NULL)
     OR (NEW.build_id IS DISTINCT FROM OLD.build_id AND OLD.build_id IS NOT NULL)
     OR (NEW.release_id IS DISTINCT FROM OLD.release_id AND OLD.release_id IS NOT NULL) THEN
    RAISE EXCEPTION 'object, build and release of a deploy approval are written once'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.process_ids[1:cardinality(OLD.process_ids)] IS DISTINCT FROM OLD.process_ids
     OR NOT (NEW.exec_commands @> OLD.exec_commands)
     OR jsonb_array_length(NEW.exec_commands) < jsonb_array_length(OLD.exec_commands) THEN
    RAISE EXCEPTION 'process ids and exec commands of a deploy approval only grow'
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status <> 'approved' AND (
       NEW.object_url IS DISTINCT FROM OLD.object_url OR NEW.build_id IS DISTINCT FROM OLD.build_id
       OR NEW.release_id IS DISTINCT FROM OLD.release_id OR NEW.process_ids IS DISTINCT FROM OLD.process_ids
       OR NEW.exec_commands IS DISTINCT FROM OLD.exec_commands) THEN
    RAISE EXCEPTION 'only an approved request records what it was used for' USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$`;
