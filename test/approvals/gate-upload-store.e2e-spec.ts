import { randomBytes } from 'node:crypto';
import { SourceUploadCleanup } from '../../src/approvals/gate/source-upload-cleanup.service';
import type { IssuedToken } from './approvals-fixture';
import { convoxAuth, sourceWith, startGateStack, type GateStack } from './gate-fixture';

/**
 * The table behind the gate's source uploads: what the database itself refuses (rewriting an upload,
 * rebinding it, binding it to a request it may not serve, deleting a built one), and the cleanup of
 * uploads no build can use any more.
 */
describe('deploy gate: the source upload records', () => {
  let gate: GateStack;
  let token: IssuedToken;

  beforeAll(async () => {
    gate = await startGateStack();
    // A token of its own, so requests other tests leave open do not keep its uploads buildable.
    token = await gate.env.cicdToken('deployer@example.com', 'ci-store');
  }, 60_000);
  afterAll(() => gate?.close());

  const approved = (app = 'worker-app', owner = token) => gate.approvedFor(owner, app);

  async function upload(app = 'worker-app'): Promise<{ id: string; url: string }> {
    const response = await fetch(
      `${gate.env.stack.proxyUrl}/apps/${app}/objects/tmp/${randomBytes(15).toString('hex')}.tgz?`,
      { method: 'POST', headers: { authorization: convoxAuth(token.secret) }, body: sourceWith() },
    );
    expect(response.status).toBe(200);
    const url = ((await response.json()) as { Url: string }).Url;
    const row = await gate.env.db.query<{ id: string }>(
      'SELECT id FROM deploy_source_uploads WHERE object_url = $1',
      [url],
    );
    return { id: row.rows[0].id, url };
  }

  async function build(url: string, commit: string, app = 'worker-app'): Promise<number> {
    const response = await fetch(`${gate.env.stack.proxyUrl}/apps/${app}/builds?`, {
      method: 'POST',
      headers: {
        authorization: convoxAuth(token.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ url, 'git-sha': commit }).toString(),
    });
    await response.arrayBuffer();
    return response.status;
  }

  const refused = (sql: string, params: unknown[], reason: RegExp) =>
    expect(gate.env.db.query(sql, params)).rejects.toThrow(reason);

  it('keeps who uploaded what and the binding write-once, and never deletes a built upload', async () => {
    const first = await approved();
    const second = await approved();
    const built = await upload();
    expect(await build(built.url, first.commit)).toBe(200);

    await refused(
      'UPDATE deploy_source_uploads SET approval_request_id = $2 WHERE id = $1',
      [built.id, second.id],
      /is already bound to deploy request/,
    );
    await refused(
      "UPDATE deploy_source_uploads SET object_url = 'object://worker-app/tmp/other.tgz' WHERE id = $1",
      [built.id],
      /written once/,
    );
    await refused(
      `UPDATE deploy_source_uploads SET manifests = '{}'::jsonb WHERE id = $1`,
      [built.id],
      /written once/,
    );
    await refused(
      "UPDATE deploy_source_uploads SET object_key = 'tmp/other.tgz' WHERE id = $1",
      [built.id],
      /never changes/,
    );
    await refused('DELETE FROM deploy_source_uploads WHERE id = $1', [built.id], /is kept/);
    const row = await gate.env.db.query(
      'SELECT approval_request_id FROM deploy_source_uploads WHERE id = $1',
      [built.id],
    );
    expect(row.rows).toEqual([{ approval_request_id: first.id }]);
  }, 60_000);

  it('binds only to an approved request of the same token and app, approved before the upload started', async () => {
    const earlier = await upload();
    const later = await approved();
    await refused(
      'UPDATE deploy_source_uploads SET approval_request_id = $2, bound_at = now() WHERE id = $1',
      [earlier.id, later.id],
      /approved before it started/,
    );
    const fresh = await upload();
    const ofAnotherToken = await approved('worker-app', gate.env.ci);
    await refused(
      'UPDATE deploy_source_uploads SET approval_request_id = $2, bound_at = now() WHERE id = $1',
      [fresh.id, ofAnotherToken.id],
      /approved before it started/,
    );
    const ofAnotherApp = await approved('api');
    await refused(
      'UPDATE deploy_source_uploads SET approval_request_id = $2, bound_at = now() WHERE id = $1',
      [fresh.id, ofAnotherApp.id],
      /approved before it started/,
    );
    // the one it may serve
    await gate.env.db.query(
      'UPDATE deploy_source_uploads SET approval_request_id = $2, bound_at = now() WHERE id = $1',
      [fresh.id, later.id],
    );
  }, 60_000);

  it('the cleanup deletes the uploads no build can use any more, and keeps the rest', async () => {
    const cleanup = gate.env.stack.gateway.app.get(SourceUploadCleanup);
    // Requests earlier tests left open for this token and app end, so every upload of it is judged alone.
    await gate.env.db.query(
      `UPDATE deploy_approval_requests SET status = 'cancelled', cancelled_at = now(), cancelled_by_email = 'test'
        WHERE target_token_id = $1 AND status = 'approved' AND build_id IS NULL`,
      [token.id],
    );
    await cleanup.sweep();
    const left = async () =>
      (
        await gate.env.db.query<{ id: string }>(
          'SELECT id FROM deploy_source_uploads WHERE target_token_id = $1 ORDER BY started_at',
          [token.id],
        )
      ).rows.map((row) => row.id);
    const boundBefore = await left();

    const { commit } = await approved();
    const spare = await upload();
    const used = await upload();
    await cleanup.sweep();
    // the approval has no build yet: both may still be built
    expect(await left()).toEqual([...boundBefore, spare.id, used.id]);

    expect(await build(used.url, commit)).toBe(200);
    // the only approval they could serve is built: the spare goes, the built one stays
    expect(await cleanup.sweep()).toBe(1);
    expect(await left()).toEqual([...boundBefore, used.id]);

    // an approval given after an upload started does not keep it
    const stray = await (async () => {
      await approved();
      return upload();
    })();
    await gate.env.db.query(
      `UPDATE deploy_approval_requests SET status = 'cancelled', cancelled_at = now(), cancelled_by_email = 'test'
        WHERE target_token_id = $1 AND status = 'approved' AND build_id IS NULL`,
      [token.id],
    );
    await approved();
    expect(await cleanup.sweep()).toBe(1);
    expect(await left()).not.toContain(stray.id);
  }, 60_000);
});
