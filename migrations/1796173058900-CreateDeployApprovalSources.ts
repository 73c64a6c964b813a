import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the rack proxy's deploy gate read from a source tarball uploaded under a deploy approval: the
 * services (and their images) of each convox manifest in it, or why it could not read them. Written in the
 * transaction that records the upload on the request, read when the build is created, where the app's
 * image patterns are checked against it. One row per request (a request allows one upload).
 */
export class CreateDeployApprovalSources1796173058900 implements MigrationInterface {
  name = 'CreateDeployApprovalSources1796173058900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deploy_approval_sources (
        approval_request_id UUID PRIMARY KEY REFERENCES deploy_approval_requests (id),
        object_url TEXT NOT NULL,
        manifests JSONB NOT NULL CHECK (jsonb_typeof(manifests) = 'object'),
        problem TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deploy_approval_sources');
  }
}
