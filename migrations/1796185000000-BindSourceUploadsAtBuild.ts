import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Source uploads of the rack proxy's deploy gate belong to the token and app that uploaded them, and are
 * bound to a deploy approval only by the build that names them (its `git-sha` finds the approval), no
 * longer at upload time. One row per upload: reserved when the gate admits it (the object key is taken,
 * so a second upload cannot overwrite a source whose manifests were already read), completed with the
 * rack's object url and the manifests read from the tarball once the rack stored it, and bound to the
 * request (and so to its build) in the build's forwarding transaction. A trigger keeps what was uploaded
 * and the binding write-once, binds only to an approved request of the same token and app that was
 * approved before the upload started, and never lets a bound upload be deleted. Sources recorded under
 * the old scheme (one per request, `deploy_approval_sources`) move here bound to their request.
 */
export class BindSourceUploadsAtBuild1796185000000 implements MigrationInterface {
  name = 'BindSourceUploadsAtBuild1796185000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deploy_source_uploads (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        target_token_id UUID NOT NULL,
        app TEXT NOT NULL,
        object_key TEXT NOT NULL CHECK (length(object_key) BETWEEN 1 AND 1024),
        started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        object_url TEXT,
        manifests JSONB CHECK (manifests IS NULL OR jsonb_typeof(manifests) = 'object'),
        problem TEXT,
        uploaded_at TIMESTAMPTZ,
        approval_request_id UUID UNIQUE REFERENCES deploy_approval_requests (id),
        bound_at TIMESTAMPTZ,
        UNIQUE (app, object_key),
        CHECK ((object_url IS NULL) = (uploaded_at IS NULL) AND (object_url IS NULL) = (manifests IS NULL)),
        CHECK ((approval_request_id IS NULL) = (bound_at IS NULL)),
        CHECK (approval_request_id IS NULL OR object_url IS NOT NULL)
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX deploy_source_uploads_url ON deploy_source_uploads (object_url) WHERE object_url IS NOT NULL',
    );
    await queryRunner.query(
      `CREATE INDEX deploy_source_uploads_unbound ON deploy_source_uploads (target_token_id, app)
         WHERE approval_request_id IS NULL`,
    );
    await queryRunner.query(GUARD_FUNCTION);
    await queryRunner.query(`
      CREATE TRIGGER deploy_source_uploads_guard
        BEFORE UPDATE OR DELETE ON deploy_source_uploads
        FOR EACH ROW EXECUTE FUNCTION deploy_source_uploads_guard()`);
    // The old scheme's key is the object url's path (`object://<app>/<key>`).
    await queryRunner.query(`
      INSERT INTO deploy_source_uploads (target_token_id, app, object_key, started_at, object_url, manifests,
                                         problem, uploaded_at, approval_request_id, bound_at)
      SELECT r.target_token_id, r.app, COALESCE(substring(s.object_url from '^object://[^/]+/(.+)$'), s.object_url),
             s.created_at, s.object_url, s.manifests, s.problem, s.created_at, s.approval_request_id, s.created_at
        FROM deploy_approval_sources s JOIN deploy_approval_requests r ON r.id = s.approval_request_id
      ON CONFLICT DO NOTHING`);
    await queryRunner.query('DROP TABLE deploy_approval_sources');
    // The upload's audit event names its row (`sourceUploadId`); a request's timeline finds it through the
    // binding. Same pattern approach as the approval id indexes of migration 1796173058767.
    await queryRunner.query(`
      CREATE INDEX audit_events_source_upload ON audit_events ((${UPLOAD_ID_IN_DETAILS}))
        WHERE details LIKE '%"sourceUploadId"%'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX audit_events_source_upload');
    await queryRunner.query(`
      CREATE TABLE deploy_approval_sources (
        approval_request_id UUID PRIMARY KEY REFERENCES deploy_approval_requests (id),
        object_url TEXT NOT NULL,
        manifests JSONB NOT NULL CHECK (jsonb_typeof(manifests) = 'object'),
        problem TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO deploy_approval_sources (approval_request_id, object_url, manifests, problem, created_at)
      SELECT approval_request_id, object_url, manifests, problem, uploaded_at
        FROM deploy_source_uploads WHERE approval_request_id IS NOT NULL`);
    await queryRunner.query('DROP TABLE deploy_source_uploads');
    await queryRunner.query('DROP FUNCTION deploy_source_uploads_guard()');
  }
}

/** The SQL that takes the upload id out of an audit event's details (src/approvals/approval-audit.ts matches it). */
const UPLOAD_ID_IN_DETAILS = `substring(details from '"sourceUploadId":"([0-9a-f-]{36})"')`;

/**
 * Who uploaded what, where and when never changes; the rack's answer (url, manifests) is written once;
 * the binding is written once, to an approved request of the same token and app approved no later than the
 * upload started; a bound upload is the evidence of what a deploy built and is never deleted.
 */
const GUARD_FUNCTION = `
CREATE FUNCTION deploy_source_uploads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.approval_request_id IS NOT NULL THEN
      RAISE EXCEPTION 'source upload % was built under deploy request % and is kept', OLD.id,
        OLD.approval_request_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.id, NEW.target_token_id, NEW.app, NEW.object_key, NEW.started_at)
     IS DISTINCT FROM (OLD.id, OLD.target_token_id, OLD.app, OLD.object_key, OLD.started_at) THEN
    RAISE EXCEPTION 'who uploaded a source, where and when never changes' USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.object_url IS NOT NULL
     AND (NEW.object_url, NEW.manifests, NEW.problem, NEW.uploaded_at)
         IS DISTINCT FROM (OLD.object_url, OLD.manifests, OLD.problem, OLD.uploaded_at) THEN
    RAISE EXCEPTION 'what a source upload stored is written once' USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.approval_request_id IS NOT NULL
     AND (NEW.approval_request_id, NEW.bound_at) IS DISTINCT FROM (OLD.approval_request_id, OLD.bound_at) THEN
    RAISE EXCEPTION 'source upload % is already bound to deploy request %', OLD.id, OLD.approval_request_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.approval_request_id IS NULL AND NEW.approval_request_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM deploy_approval_requests r
        WHERE r.id = NEW.approval_request_id AND r.status = 'approved' AND r.target_token_id = NEW.target_token_id
          AND r.app = NEW.app AND r.approved_at <= NEW.started_at) THEN
    RAISE EXCEPTION 'source upload % can only be bound to an approved request of its token and app approved before it started',
      NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$`;
