import { DataSource, type QueryRunner } from 'typeorm';
import { BindSourceUploadsAtBuild1796185000000 } from '../../migrations/1796185000000-BindSourceUploadsAtBuild';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createMigratedTestDatabase } from '../harness/test-database';

const REQUEST = '11111111-2222-4333-8444-555555555555';
const TOKEN = '66666666-7777-4888-8999-aaaaaaaaaaaa';

/**
 * Migration 1796185000000 moves the sources recorded under the old scheme (one per request, bound when it
 * was uploaded) into the uploads table, bound to their request, and its `down` moves them back.
 */
describe('migration BindSourceUploadsAtBuild', () => {
  let dataSource: DataSource;
  let runner: QueryRunner;
  const migration = new BindSourceUploadsAtBuild1796185000000();

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await createMigratedTestDatabase()));
    await dataSource.initialize();
    runner = dataSource.createQueryRunner();
  }, 60_000);
  afterAll(async () => {
    await runner?.release();
    await dataSource?.destroy();
  });

  it('moves a source bound at upload time into the uploads table, bound to its request, and back', async () => {
    await migration.down(runner);
    await runner.query(
      `INSERT INTO deploy_approval_requests (id, status, app, git_commit, message, target_token_id, target_token_name,
         target_token_owner_id, target_token_owner_email, created_by_kind, created_by_user_id, created_by_email,
         expires_at, approved_at, approved_by_email, object_url)
       VALUES ($1, 'approved', 'myapp', $2, 'deploy', $3, 'ci', gen_random_uuid(), 'deployer@example.com', 'token',
         gen_random_uuid(), 'deployer@example.com', now() + interval '10 minutes', now() - interval '1 minute',
         'admin@example.com', 'object://myapp/tmp/abc.tgz')`,
      [REQUEST, 'a'.repeat(40), TOKEN],
    );
    await runner.query(
      `INSERT INTO deploy_approval_sources (approval_request_id, object_url, manifests, problem)
       VALUES ($1, 'object://myapp/tmp/abc.tgz', '{"convox.yml":{"web":"r/web:1"}}', NULL)`,
      [REQUEST],
    );

    await migration.up(runner);
    const moved = (await runner.query(
      `SELECT target_token_id, app, object_key, object_url, manifests, approval_request_id,
              bound_at IS NOT NULL AS bound, started_at = uploaded_at AS same_time
         FROM deploy_source_uploads`,
    )) as unknown[];
    expect(moved).toEqual([
      {
        target_token_id: TOKEN,
        app: 'myapp',
        object_key: 'tmp/abc.tgz',
        object_url: 'object://myapp/tmp/abc.tgz',
        manifests: { 'convox.yml': { web: 'r/web:1' } },
        approval_request_id: REQUEST,
        bound: true,
        same_time: true,
      },
    ]);
    const old = (await runner.query("SELECT to_regclass('deploy_approval_sources') AS t")) as {
      t: unknown;
    }[];
    expect(old).toEqual([{ t: null }]);

    await migration.down(runner);
    const back = (await runner.query(
      'SELECT approval_request_id, object_url, manifests FROM deploy_approval_sources',
    )) as unknown[];
    expect(back).toEqual([
      {
        approval_request_id: REQUEST,
        object_url: 'object://myapp/tmp/abc.tgz',
        manifests: { 'convox.yml': { web: 'r/web:1' } },
      },
    ]);
    await migration.up(runner);
  }, 60_000);
});
