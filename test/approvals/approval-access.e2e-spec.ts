import { currentTotpCode } from '../../src/mfa/factors/totp';
import { enrolTotp, awayFromStepBoundary, type MfaStack } from '../mfa/mfa-stack';
import { nextCommit, requestBody, startApprovalsStack, type ApprovalsStack } from './approvals-fixture';

describe('who may request, see and decide deploy approvals', () => {
  let t: ApprovalsStack;

  beforeAll(async () => {
    t = await startApprovalsStack();
  });
  afterAll(() => t?.close());

  const create = async (credential = t.ci.secret, extra: Record<string, unknown> = {}) => {
    const answer = await t.call(
      credential,
      'POST',
      '/deploy-approval-requests',
      requestBody(nextCommit(), extra),
    );
    expect(answer).toMatchObject({ status: 201 });
    return answer.body as { id: string; gitCommit: string };
  };
  const decide = (id: string, action: string, credential: string, headers: Record<string, string> = {}) =>
    t.call(credential, 'POST', `/deploy-approval-requests/${id}/${action}`, {}, headers);
  const setSetting = async (key: string, value: unknown) => {
    const answer = await t.call(t.sessions.admin, 'PUT', `/settings/${key}`, { value });
    expect(answer.status).toBe(200);
  };

  describe('input validation', () => {
    it.each([
      ['a short commit', { gitCommit: 'abc1234' }, 'gitCommit must be the full 40-character'],
      ['an upper-case commit', { gitCommit: 'A'.repeat(40) }, 'gitCommit must be the full 40-character'],
      ['no message', { message: undefined }, 'message'],
      ['a blank message', { message: '   ' }, 'message must not be empty'],
      ['a bad pipeline_number', { ciMetadata: { pipeline_number: true } }, 'pipeline_number'],
      ['ciMetadata that is a list', { ciMetadata: [1, 2] }, 'ciMetadata'],
      ['a bad app name', { app: 'My_App' }, 'app must be a Convox app name'],
      ['an unknown field', { git_commit_hash: 'x' }, 'should not exist'],
      ['a target that is not a UUID', { targetTokenId: 'ci' }, 'targetTokenId'],
    ])('refuses %s with 400 and says why', async (_name, change, reason) => {
      const answer = await t.call(t.ci.secret, 'POST', '/deploy-approval-requests', {
        ...requestBody(nextCommit()),
        ...change,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('bad_request');
      expect(answer.body.message).toContain(reason);
    });

    it('accepts pipeline_number as a string and as a number', async () => {
      for (const pipeline of ['6279', 6279]) {
        const created = await create(t.ci.secret, { ciMetadata: { pipeline_number: pipeline } });
        expect(
          (await t.call(t.sessions.admin, 'GET', `/deploy-approval-requests/${created.id}`)).body.ciMetadata,
        ).toEqual({ pipeline_number: pipeline });
      }
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      expect((await t.call(t.sessions.admin, 'GET', '/deploy-approval-requests/nope')).status).toBe(400);
      const unknown = await t.call(
        t.sessions.admin,
        'GET',
        `/deploy-approval-requests/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      );
      expect(unknown).toMatchObject({ status: 404, body: { error: 'approval_request_not_found' } });
    });
  });

  describe('requesting', () => {
    it('refuses a token without deploy_with_approval: an approval would not let it deploy', async () => {
      const plain = await t.stack.tokenWith('deployer', ['gateway:deploy_approval:create']);
      const answer = await t.call(plain, 'POST', '/deploy-approval-requests', requestBody(nextCommit()));
      expect(answer).toMatchObject({ status: 403, body: { error: 'token_not_approval_gated' } });
    });

    it('lets a token request only for itself', async () => {
      const other = await t.cicdToken('deployer@example.com', 'other');
      const answer = await t.call(
        t.ci.secret,
        'POST',
        '/deploy-approval-requests',
        requestBody(nextCommit(), {
          targetTokenId: other.id,
        }),
      );
      expect(answer).toMatchObject({ status: 403, body: { error: 'token_requests_for_itself' } });
    });

    it('lets a person request for a token they own that holds deploy_with_approval, and nothing else', async () => {
      const missing = await t.call(
        t.sessions.deployer,
        'POST',
        '/deploy-approval-requests',
        requestBody(nextCommit()),
      );
      expect(missing).toMatchObject({ status: 400, body: { error: 'target_token_required' } });
      const adminsToken = await t.cicdToken('admin@example.com', 'admins-ci');
      const notOwned = await t.call(
        t.sessions.deployer,
        'POST',
        '/deploy-approval-requests',
        requestBody(nextCommit(), {
          targetTokenId: adminsToken.id,
        }),
      );
      expect(notOwned).toMatchObject({ status: 403, body: { error: 'target_token_not_owned' } });
      const created = await create(t.sessions.deployer, { targetTokenId: t.ci.id });
      expect(
        (await t.call(t.sessions.deployer, 'GET', `/deploy-approval-requests/${created.id}`)).body,
      ).toMatchObject({
        createdBy: { kind: 'user', email: 'deployer@example.com', tokenId: null },
        targetToken: { id: t.ci.id, ownerEmail: 'deployer@example.com' },
      });
    });

    it('refuses a viewer (no gateway:deploy_approval:create) and names the permission', async () => {
      const answer = await t.call(
        t.sessions.viewer,
        'POST',
        '/deploy-approval-requests',
        requestBody(nextCommit()),
      );
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).toContain('gateway:deploy_approval:create');
    });

    it('refuses every request while approvals are switched off, saying so', async () => {
      await setSetting('approvals.enabled', false);
      try {
        const answer = await t.call(
          t.ci.secret,
          'POST',
          '/deploy-approval-requests',
          requestBody(nextCommit()),
        );
        expect(answer).toMatchObject({ status: 403, body: { error: 'approvals_disabled' } });
        expect(answer.body.message).toContain('approvals.enabled');
      } finally {
        await setSetting('approvals.enabled', true);
      }
    });
  });

  describe('deciding', () => {
    it("refuses API tokens with 403, even an admin's token holding the approve permission", async () => {
      const { id } = await create();
      const byAdminToken = await decide(id, 'approve', t.adminToken.secret);
      expect(byAdminToken).toMatchObject({ status: 403, body: { error: 'mfa_not_available_for_tokens' } });
      expect(byAdminToken.body.message).toContain('API tokens cannot perform this action');
      const byCi = await decide(id, 'approve', t.ci.secret);
      expect(byCi.status).toBe(403);
      expect(JSON.stringify(byCi.body)).toContain('gateway:deploy_approval:approve');
      for (const action of ['reject', 'extend']) {
        expect((await decide(id, action, t.adminToken.secret)).status).toBe(403);
      }
      const row = await t.db.query('SELECT status FROM deploy_approval_requests WHERE id = $1', [id]);
      expect(row.rows[0].status).toBe('pending');
    });

    it('keeps the four-eyes rule: not the requester, not the owner of the token; a setting (audited) turns it off', async () => {
      const adminsCi = await t.cicdToken('admin@example.com', 'admins-own-ci');
      const { id } = await create(adminsCi.secret);
      const self = await decide(id, 'approve', t.sessions.admin);
      expect(self).toMatchObject({ status: 403, body: { error: 'self_approval_refused' } });
      expect(self.body.message).toContain('approvals.allow_self_approval');
      // The token asked, not the person: the refusal names the token they own as the reason.
      expect(self.body.message).toMatch(/^an API token you own requested this deploy: someone else/);
      const byHumanRequest = await create(t.sessions.admin, { targetTokenId: adminsCi.id });
      expect((await decide(byHumanRequest.id, 'approve', t.sessions.admin)).body).toMatchObject({
        error: 'self_approval_refused',
        message: expect.stringMatching(/^you requested this deploy: /),
      });
      expect((await decide(id, 'approve', t.sessions.secondAdmin)).status).toBe(200);

      await setSetting('approvals.allow_self_approval', true);
      try {
        const allowed = await decide(byHumanRequest.id, 'approve', t.sessions.admin);
        expect(allowed).toMatchObject({
          status: 200,
          body: { status: 'approved', approvedBy: 'admin@example.com' },
        });
      } finally {
        await setSetting('approvals.allow_self_approval', false);
      }
      await t.auditSettled();
      const changes = await t.db.query(
        `SELECT actor_email, details, outcome_details FROM audit_events
          WHERE action = 'gateway:settings:update' AND resource_name = 'approvals.allow_self_approval'
          ORDER BY chain_index`,
      );
      expect(changes.rows.map((r) => JSON.parse(r.outcome_details).after.value)).toEqual([true, false]);
      expect(changes.rows.every((r) => r.actor_email === 'admin@example.com')).toBe(true);
    });

    it('refuses approving while approvals are switched off; rejecting still works', async () => {
      const first = await create();
      const second = await create();
      await setSetting('approvals.enabled', false);
      try {
        expect((await decide(first.id, 'approve', t.sessions.admin)).body.error).toBe('approvals_disabled');
        expect((await decide(second.id, 'reject', t.sessions.admin)).body.status).toBe('rejected');
      } finally {
        await setSetting('approvals.enabled', true);
      }
    });

    it('asks an enrolled approver for a code on the very request, and accepts one', async () => {
      const approver = await t.session('second-admin@example.com');
      const mfa = {
        api: (path: string, token: string, init: RequestInit = {}) =>
          fetch(`${t.stack.gateway.url}${path}`, {
            ...init,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          }),
      } as unknown as MfaStack;
      const { secret } = await enrolTotp(mfa, approver);
      const { id } = await create();
      const bare = await decide(id, 'approve', approver);
      expect(bare).toMatchObject({ status: 401, body: { error: 'mfa_required' } });
      expect(bare.body.message).toContain('on this very request');
      await t.db.query(
        "UPDATE mfa_methods SET last_used_step = NULL WHERE user_id = (SELECT id FROM users WHERE email = 'second-admin@example.com')",
      );
      await awayFromStepBoundary();
      const withCode = await decide(id, 'approve', approver, { 'x-mfa-code': currentTotpCode(secret) });
      expect(withCode).toMatchObject({
        status: 200,
        body: { status: 'approved', approvedBy: 'second-admin@example.com' },
      });
    });
  });

  describe('seeing', () => {
    it('shows requesters their own requests and approvers every request', async () => {
      const deployers = await create();
      const adminsCi = await t.cicdToken('admin@example.com', 'someone-elses-ci');
      const others = await create(adminsCi.secret);

      const asDeployer = await t.call(t.sessions.deployer, 'GET', '/deploy-approval-requests?limit=200');
      const seen = asDeployer.body.items.map((r: { id: string }) => r.id);
      expect(seen).toContain(deployers.id);
      expect(seen).not.toContain(others.id);
      expect(
        (await t.call(t.sessions.deployer, 'GET', `/deploy-approval-requests/${others.id}`)).status,
      ).toBe(404);
      expect((await t.call(adminsCi.secret, 'GET', `/deploy-approval-requests/${deployers.id}`)).status).toBe(
        404,
      );
      expect((await t.call(adminsCi.secret, 'GET', `/deploy-approval-requests/${others.id}`)).status).toBe(
        200,
      );

      const asAdmin = await t.call(t.sessions.admin, 'GET', '/deploy-approval-requests?limit=200');
      expect(asAdmin.body.items.map((r: { id: string }) => r.id)).toEqual(
        expect.arrayContaining([deployers.id, others.id]),
      );
      expect((await t.call(t.sessions.viewer, 'GET', '/deploy-approval-requests')).status).toBe(403);
      // The audit story is for approvers and auditors, not for the requester.
      const story = await t.call(
        t.sessions.deployer,
        'GET',
        `/deploy-approval-requests/${deployers.id}/audit-events`,
      );
      expect(story).toMatchObject({ status: 403, body: { error: 'approval_audit_forbidden' } });
    });

    it('lets only the requester side cancel: an approver rejects instead', async () => {
      const { id } = await create();
      const byApprover = await decide(id, 'cancel', t.sessions.admin);
      expect(byApprover).toMatchObject({ status: 403, body: { error: 'approval_request_not_yours' } });
    });
  });
});
