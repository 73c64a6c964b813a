import { DataSource } from 'typeorm';
import { ApprovalLifecycle, type ApprovalLifecycleEvent } from '../../src/approvals/approval-lifecycle';
import { ApprovalTracking } from '../../src/approvals/approval-tracking.service';
import { nextCommit, requestBody, startApprovalsStack, type ApprovalsStack } from './approvals-fixture';

describe('deploy approval transitions against the real gateway and PostgreSQL', () => {
  let t: ApprovalsStack;
  const heard: ApprovalLifecycleEvent[] = [];

  beforeAll(async () => {
    t = await startApprovalsStack();
    t.stack.gateway.app.get(ApprovalLifecycle).subscribe((event) => void heard.push(event));
  });
  afterAll(() => t?.close());

  const create = async (commit = nextCommit()) => {
    const answer = await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(commit));
    expect(answer.status).toBe(201);
    return answer.body as { id: string; status: string; gitCommit: string };
  };
  const decide = (id: string, action: string, credential = t.sessions.admin, notes?: string) =>
    t.call(credential, 'POST', `/deploy-approval-requests/${id}/${action}`, notes ? { notes } : {});
  const rawUpdate = (id: string, set: string) =>
    t.db.query(`UPDATE deploy_approval_requests SET ${set} WHERE id = $1`, [id]);
  const kindsFor = (id: string) => heard.filter((e) => e.request.id === id).map((e) => e.kind);

  it('creates a pending request for the calling cicd token, with its id, status and a 24 h expiry', async () => {
    const commit = nextCommit();
    const before = Date.now();
    const answer = await t.call(
      t.ci.secret,
      'POST',
      '/deploy-approval-requests',
      requestBody(commit, {
        ciMetadata: { pipeline_number: 6279, workflow_id: 'wf-1' },
      }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: 'pending',
      app: 'myapp',
      gitCommit: commit,
      gitBranch: 'main',
      ciMetadata: { pipeline_number: 6279, workflow_id: 'wf-1' },
      targetToken: { id: t.ci.id, name: 'ci', ownerEmail: 'deployer@example.com' },
      createdBy: { kind: 'token', email: 'deployer@example.com', tokenId: t.ci.id, tokenName: 'ci' },
      approvedAt: null,
      processIds: [],
      execCommands: [],
    });
    expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const ttl = Date.parse(answer.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThan(24.1 * 3600_000);
    expect(kindsFor(answer.body.id)).toEqual(['created']);
  });

  it('answers a second open request for the same token, app and commit with 409 and the existing request', async () => {
    const first = await create();
    const second = await t.call(
      t.ci.secret,
      'POST',
      '/deploy-approval-requests',
      requestBody(first.gitCommit),
    );
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: 'approval_request_exists',
      id: first.id,
      status: 'pending',
      request: { id: first.id, status: 'pending', gitCommit: first.gitCommit },
    });
    // Another app with the same commit is another request.
    const otherApp = await t.call(
      t.ci.secret,
      'POST',
      '/deploy-approval-requests',
      requestBody(first.gitCommit, {
        app: 'otherapp',
      }),
    );
    expect(otherApp.status).toBe(201);
  });

  it('goes pending → approved → deployed, and a deployed request never changes again', async () => {
    const { id } = await create();
    const approved = await decide(id, 'approve', t.sessions.admin, 'looks good');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      approvedBy: 'admin@example.com',
      approvalNotes: 'looks good',
    });
    const window = Date.parse(approved.body.expiresAt) - Date.parse(approved.body.approvedAt);
    expect(window).toBe(15 * 60_000);

    const tracking = t.stack.gateway.app.get(ApprovalTracking);
    await expect(tracking.markDeployed(id, { email: 'deployer@example.com' })).rejects.toThrow(/no release/);
    const found = await tracking.findApproved(t.ci.id, 'myapp', { gitCommit: approved.body.gitCommit });
    expect(found?.id).toBe(id);
    await t.stack.gateway.app.get(DataSource).transaction(async (manager) => {
      await tracking.record(manager, id, { objectUrl: 'object://myapp/tmp/src.tgz' });
      await tracking.record(manager, id, { buildId: 'BABC', releaseId: 'RABC' });
      await tracking.record(manager, id, {
        processId: 'p-1',
        execCommand: { processId: 'p-1', command: 'bin/migrate' },
      });
    });
    expect(await tracking.findApproved(t.ci.id, 'myapp', { releaseId: 'RABC' })).toMatchObject({
      id,
      processIds: ['p-1'],
      execCommands: [{ processId: 'p-1', command: 'bin/migrate' }],
    });
    await expect(
      t.stack.gateway.app
        .get(DataSource)
        .transaction((manager) => tracking.record(manager, id, { buildId: 'BOTHER' })),
    ).rejects.toThrow(/no longer approved, or was already used/);
    const deployed = await tracking.markDeployed(id, { email: 'deployer@example.com', tokenId: t.ci.id });
    expect(deployed).toMatchObject({ status: 'deployed', releaseId: 'RABC', buildId: 'BABC' });
    expect(kindsFor(id)).toEqual(['created', 'approved', 'deployed']);

    for (const action of ['approve', 'reject', 'extend']) {
      const refused = await decide(id, action);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('is deployed');
    }
    expect((await decide(id, 'cancel', t.ci.secret)).status).toBe(409);
    await expect(rawUpdate(id, "approval_notes = 'edited'")).rejects.toThrow(
      /terminal request never changes/,
    );
    await expect(rawUpdate(id, "status = 'approved'")).rejects.toThrow(/terminal request never changes/);
  });

  it('rejects a pending request and revokes an approved one; both are final', async () => {
    const pending = await create();
    const rejected = await decide(pending.id, 'reject', t.sessions.admin, 'not today');
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectedBy: 'admin@example.com',
      rejectionNotes: 'not today',
    });

    const approved = await create();
    expect((await decide(approved.id, 'approve')).status).toBe(200);
    const revoked = await decide(approved.id, 'reject', t.sessions.secondAdmin);
    expect(revoked.body).toMatchObject({ status: 'rejected', rejectedBy: 'second-admin@example.com' });
    expect((await decide(approved.id, 'approve')).status).toBe(409);
    await expect(rawUpdate(approved.id, "status = 'approved'")).rejects.toThrow(/terminal/);
    expect(kindsFor(approved.id)).toEqual(['created', 'approved', 'rejected']);
  });

  it('lets the requesting token, or the owner of its token, cancel a pending or an approved request', async () => {
    const pending = await create();
    const byToken = await decide(pending.id, 'cancel', t.ci.secret, 'wrong commit');
    expect(byToken.status).toBe(200);
    expect(byToken.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'deployer@example.com',
      cancellationNotes: 'wrong commit',
    });

    const approved = await create();
    await decide(approved.id, 'approve');
    const byOwner = await decide(approved.id, 'cancel', t.sessions.deployer);
    expect(byOwner.body.status).toBe('cancelled');
    // A cancelled request frees the commit for a new request.
    expect(
      (await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(approved.gitCommit)))
        .status,
    ).toBe(201);

    const other = await create();
    const stranger = await t.cicdToken('admin@example.com', 'other-ci');
    const refused = await decide(other.id, 'cancel', stranger.secret);
    expect(refused.status).toBe(404);
  });

  it('extends an unexpired approval from now, never a pending request', async () => {
    const { id } = await create();
    const early = await decide(id, 'extend');
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('is pending');
    const approved = await decide(id, 'approve');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const extended = await decide(id, 'extend', t.sessions.secondAdmin, 'CI was slow');
    expect(extended.status).toBe(200);
    expect(Date.parse(extended.body.expiresAt)).toBeGreaterThan(Date.parse(approved.body.expiresAt));
    expect(kindsFor(id)).toEqual(['created', 'approved', 'extended']);
  });

  it('refuses illegal changes in the database itself, whatever the code does', async () => {
    const pending = await create();
    await expect(
      rawUpdate(pending.id, "status = 'deployed', deployed_at = now(), release_id = 'R1'"),
    ).rejects.toThrow(/illegal deploy approval transition pending -> deployed/);
    await expect(rawUpdate(pending.id, "git_commit = repeat('a', 40)")).rejects.toThrow(/never changes/);
    await expect(rawUpdate(pending.id, "build_id = 'B1'")).rejects.toThrow(/only an approved request/);
    await expect(rawUpdate(pending.id, "expires_at = now() + interval '30 days'")).rejects.toThrow(
      /keeps its expiry/,
    );
    await expect(rawUpdate(pending.id, "status = 'expired', expired_at = now()")).rejects.toThrow(
      /does not expire before/,
    );
    // Approving through SQL without an approver breaks the table's check.
    await expect(rawUpdate(pending.id, "status = 'approved'")).rejects.toThrow(/check constraint/);

    const approved = await create();
    await decide(approved.id, 'approve');
    await expect(rawUpdate(approved.id, "status = 'pending'")).rejects.toThrow(/approved -> pending/);
    await expect(rawUpdate(approved.id, "status = 'deployed', deployed_at = now()")).rejects.toThrow(
      /check constraint/,
    );
    await rawUpdate(approved.id, "build_id = 'B2'");
    await expect(rawUpdate(approved.id, "build_id = 'B3'")).rejects.toThrow(/written once/);
    await expect(rawUpdate(approved.id, "expires_at = expires_at - interval '1 minute'")).rejects.toThrow(
      /only forwards/,
    );
    const row = await t.db.query('SELECT status, build_id FROM deploy_approval_requests WHERE id = $1', [
      approved.id,
    ]);
    expect(row.rows[0]).toEqual({ status: 'approved', build_id: 'B2' });
  });
});
