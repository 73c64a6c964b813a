import { ApprovalExpiry } from '../../src/approvals/approval-expiry.service';
import { ApprovalLifecycle, type ApprovalLifecycleEvent } from '../../src/approvals/approval-lifecycle';
import { UsersService } from '../../src/users/users.service';
import {
  nextCommit,
  requestBody,
  startApprovalsStack,
  type ApprovalsStack,
  type IssuedToken,
} from './approvals-fixture';

/** A row written straight into the table, as if made long ago: `expires_at` already passed. */
async function insertOverdue(
  t: ApprovalsStack,
  token: IssuedToken,
  status: 'pending' | 'approved',
  commit = nextCommit(),
): Promise<string> {
  const approved =
    status === 'approved'
      ? ", approved_at = now() - interval '20 minutes', approved_by_email = 'admin@example.com'"
      : '';
  const { rows } = await t.db.query(
    `INSERT INTO deploy_approval_requests (app, git_commit, message, target_token_id, target_token_name,
       target_token_owner_id, target_token_owner_email, created_by_kind, created_by_user_id, created_by_email,
       created_by_token_id, created_at, expires_at)
     SELECT 'myapp', $2, 'old', $1, 'ci', owner_id, 'deployer@example.com', 'token', owner_id,
       'deployer@example.com', $1, now() - interval '2 days', now() - interval '1 minute'
       FROM api_tokens WHERE id = $1
     RETURNING id`,
    [token.id, commit],
  );
  const id = rows[0].id as string;
  if (approved) {
    // Approving in the past is not a transition the trigger allows; the test builds that state directly.
    await t.db.query(
      'ALTER TABLE deploy_approval_requests DISABLE TRIGGER deploy_approval_requests_state_machine',
    );
    await t.db.query(`UPDATE deploy_approval_requests SET status = 'approved'${approved} WHERE id = $1`, [
      id,
    ]);
    await t.db.query(
      'ALTER TABLE deploy_approval_requests ENABLE TRIGGER deploy_approval_requests_state_machine',
    );
  }
  return id;
}

describe('deploy approval history: expiry, deletion, lists and the audit story', () => {
  let t: ApprovalsStack;
  const heard: ApprovalLifecycleEvent[] = [];
  const statusInDb = async (id: string) =>
    (await t.db.query('SELECT status, expired_at FROM deploy_approval_requests WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    t = await startApprovalsStack();
    t.stack.gateway.app.get(ApprovalLifecycle).subscribe((event) => void heard.push(event));
  });
  afterAll(() => t?.close());

  describe('expiry', () => {
    it('is persisted by the sweeper for overdue pending and approved requests, once each', async () => {
      const pending = await insertOverdue(t, t.ci, 'pending');
      const approved = await insertOverdue(t, t.ci, 'approved');
      const expiry = t.stack.gateway.app.get(ApprovalExpiry);
      expect(await expiry.sweep()).toBeGreaterThanOrEqual(2);
      for (const id of [pending, approved]) {
        expect(await statusInDb(id)).toMatchObject({ status: 'expired', expired_at: expect.any(Date) });
        expect(heard.filter((e) => e.request.id === id).map((e) => [e.kind, e.actor.kind])).toEqual([
          ['expired', 'system'],
        ]);
      }
      expect(await expiry.sweep()).toBe(0);
      await t.auditSettled();
      const events = await t.db.query(
        `SELECT actor_type, rule, resource_type, resource_name, details FROM audit_events
          WHERE action = 'gateway:deploy_approval:expire' AND resource_name = ANY($1)`,
        [[pending, approved]],
      );
      expect(events.rows).toHaveLength(2);
      for (const row of events.rows) {
        expect(row).toMatchObject({
          actor_type: 'system',
          rule: 'expiry-sweep',
          resource_type: 'deploy_approval_request',
        });
        expect(JSON.parse(row.details).approvalRequestId).toBe(row.resource_name);
      }
      expect(JSON.parse(events.rows.find((r) => r.resource_name === approved).details).previousStatus).toBe(
        'approved',
      );
    });

    it('is persisted when an overdue request is read, before anyone sees it open', async () => {
      const id = await insertOverdue(t, t.ci, 'pending');
      const read = await t.call(t.sessions.admin, 'GET', `/deploy-approval-requests/${id}`);
      expect(read.body).toMatchObject({ id, status: 'expired', expiredAt: expect.any(String) });
      expect((await statusInDb(id)).status).toBe('expired');
    });

    it('never lets an overdue request be approved, nor an overdue approval be extended', async () => {
      const pending = await insertOverdue(t, t.ci, 'pending');
      const approve = await t.call(
        t.sessions.admin,
        'POST',
        `/deploy-approval-requests/${pending}/approve`,
        {},
      );
      expect(approve).toMatchObject({ status: 409, body: { error: 'approval_request_expired' } });
      const approved = await insertOverdue(t, t.ci, 'approved');
      const extend = await t.call(
        t.sessions.admin,
        'POST',
        `/deploy-approval-requests/${approved}/extend`,
        {},
      );
      expect(extend).toMatchObject({ status: 409, body: { error: 'approval_request_expired' } });
      expect((await statusInDb(approved)).status).toBe('expired');
    });

    it('frees the commit: a new request for an overdue one is created, not answered with 409', async () => {
      const commit = nextCommit();
      const old = await insertOverdue(t, t.ci, 'approved', commit);
      const fresh = await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(commit));
      expect(fresh.status).toBe(201);
      expect(fresh.body.id).not.toBe(old);
      expect((await statusInDb(old)).status).toBe('expired');
    });
  });

  it('keeps the history when the target token and its owner are deleted', async () => {
    expect(
      (await t.call(t.sessions.admin, 'POST', '/users', { email: 'leaver@example.com', roles: ['deployer'] }))
        .status,
    ).toBe(201);
    const leaversCi = await t.cicdToken('leaver@example.com', 'leaver-ci');
    const created = await t.call(
      leaversCi.secret,
      'POST',
      '/deploy-approval-requests',
      requestBody(nextCommit()),
    );
    expect(created.status).toBe(201);
    expect(
      (await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${created.body.id}/approve`, {}))
        .status,
    ).toBe(200);

    expect((await t.call(t.sessions.admin, 'DELETE', `/api-tokens/${leaversCi.id}`)).status).toBe(200);
    expect((await t.call(t.sessions.admin, 'DELETE', '/users/leaver@example.com')).status).toBe(204);
    await expect(t.stack.gateway.app.get(UsersService).getByEmail('leaver@example.com')).rejects.toThrow();

    const after = await t.call(t.sessions.admin, 'GET', `/deploy-approval-requests/${created.body.id}`);
    expect(after.body).toMatchObject({
      id: created.body.id,
      status: 'approved',
      approvedBy: 'admin@example.com',
      targetToken: { id: leaversCi.id, name: 'leaver-ci', ownerEmail: 'leaver@example.com' },
      createdBy: { kind: 'token', email: 'leaver@example.com', tokenName: 'leaver-ci' },
    });
  });

  describe('lists', () => {
    let ci: IssuedToken;
    const made: { id: string; app: string; branch: string; commit: string }[] = [];

    beforeAll(async () => {
      ci = await t.cicdToken('deployer@example.com', 'list-ci');
      for (const [app, branch] of [
        ['list-a', 'main'],
        ['list-a', 'feature/x'],
        ['list-b', 'main'],
        ['list-a', 'main'],
        ['list-a', 'main'],
      ]) {
        const commit = nextCommit();
        const answer = await t.call(
          ci.secret,
          'POST',
          '/deploy-approval-requests',
          requestBody(commit, { app, gitBranch: branch }),
        );
        made.push({ id: answer.body.id, app, branch, commit });
      }
      await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${made[0].id}/approve`, {});
    });

    const list = async (query: string) => {
      const answer = await t.call(ci.secret, 'GET', `/deploy-approval-requests?${query}`);
      expect(answer.status).toBe(200);
      return answer.body as { items: { id: string }[]; nextCursor: string | null };
    };
    const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id);

    it('filters by app, branch, status and commit prefix, newest first', async () => {
      expect(ids(await list('app=list-a'))).toEqual([made[4].id, made[3].id, made[1].id, made[0].id]);
      expect(ids(await list('app=list-a&branch=feature/x'))).toEqual([made[1].id]);
      expect(ids(await list('app=list-a&status=approved'))).toEqual([made[0].id]);
      expect(ids(await list(`gitCommit=${made[2].commit.slice(0, 7)}`))).toContain(made[2].id);
      expect(ids(await list(`gitCommit=${made[2].commit}`))).toEqual([made[2].id]);
    });

    it('refuses a commit prefix shorter than 7 characters and other bad filters with 400', async () => {
      for (const query of [
        'gitCommit=abc123',
        'status=consumed',
        'limit=0',
        'limit=201',
        'createdFrom=yesterday',
        'cursor=%25%25',
      ]) {
        const answer = await t.call(ci.secret, 'GET', `/deploy-approval-requests?${query}`);
        expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      }
      const forged = Buffer.from('not-a-date|nope').toString('base64url');
      expect((await t.call(ci.secret, 'GET', `/deploy-approval-requests?cursor=${forged}`)).body.error).toBe(
        'invalid_cursor',
      );
    });

    it('filters by creation time', async () => {
      const created = (
        await t.db.query('SELECT created_at FROM deploy_approval_requests WHERE id = $1', [made[3].id])
      ).rows[0].created_at as Date;
      const from = encodeURIComponent(created.toISOString());
      expect(ids(await list(`app=list-a&createdFrom=${from}`))).toEqual([made[4].id, made[3].id]);
      expect(ids(await list(`app=list-a&createdTo=${from}`))).toEqual([made[1].id, made[0].id]);
    });

    it('pages with a keyset cursor: no request twice, none missed', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await list(
          `app=list-a&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([made[4].id, made[3].id, made[1].id, made[0].id]);
    });
  });

  it("tells a request's whole story from its audit events, each carrying its id", async () => {
    const created = await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(nextCommit()));
    const id = created.body.id as string;
    await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', requestBody(created.body.gitCommit));
    await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${id}/approve`, { notes: 'ok' });
    await t.call(t.sessions.secondAdmin, 'POST', `/deploy-approval-requests/${id}/extend`, {});
    await t.call(t.sessions.admin, 'POST', `/deploy-approval-requests/${id}/reject`, {
      notes: 'changed my mind',
    });
    await t.auditSettled();

    const story = await t.call(t.sessions.secondAdmin, 'GET', `/deploy-approval-requests/${id}/audit-events`);
    expect(story.status).toBe(200);
    const rows = story.body as {
      action: string;
      actorEmail: string;
      status: number;
      resourceType: string;
      outcomeDetails: Record<string, unknown>;
    }[];
    expect(rows.map((e) => [e.action, e.actorEmail, e.status])).toEqual([
      ['gateway:deploy_approval:create', 'deployer@example.com', 201],
      ['gateway:deploy_approval:create', 'deployer@example.com', 409],
      ['gateway:deploy_approval:approve', 'admin@example.com', 200],
      ['gateway:deploy_approval:extend', 'second-admin@example.com', 200],
      ['gateway:deploy_approval:reject', 'admin@example.com', 200],
    ]);
    for (const event of rows) {
      expect(
        event.resourceType === 'deploy_approval_request' || event.outcomeDetails.approvalRequestId === id,
      ).toBe(true);
      expect(event.outcomeDetails.approvalRequestId).toBe(id);
    }
  });
});
