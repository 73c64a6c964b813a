import { DataSource } from 'typeorm';
import { ApprovalTracking } from '../../src/approvals/approval-tracking.service';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { cliAuth, RACK_PASSWORD } from '../proxy/proxy-stack';
import { nextCommit, requestBody, startApprovalsStack, type ApprovalsStack } from './approvals-fixture';

interface ReportRow {
  releaseId: string;
  app: string;
  gitCommit: string | null;
  buildId: string | null;
  promotedBy: string;
  promotedByKind: string;
  approvalRequestId: string | null;
  requester: string | null;
  approver: string | null;
  approvedAt: string | null;
  deployedAt: string | null;
  result: string;
  exceptions: string[];
}

describe('the deployments report (change evidence) against the real gateway', () => {
  let t: ApprovalsStack;
  const started = new Date();

  beforeAll(async () => {
    t = await startApprovalsStack();
  });
  afterAll(() => t?.close());

  /** A new release of myapp, made on the rack itself (not through the gateway). */
  const newRelease = async (): Promise<string> => {
    const res = await fetch(`${t.stack.rack.url}/apps/myapp/releases`, {
      method: 'POST',
      headers: { authorization: cliAuth(RACK_PASSWORD), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ env: `BUILD=${Date.now()}` }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: string }).id;
  };
  /** A promote through the gateway, as the convox CLI sends it. */
  const promote = async (credential: string, release: string): Promise<number> => {
    const res = await fetch(`${t.stack.proxyUrl}/apps/myapp/releases/${release}/promote`, {
      method: 'POST',
      headers: { authorization: cliAuth(credential), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ force: 'true' }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  /** An approved request whose build made `release` (what the gate records), by `requester` for its own token. */
  const approvedFor = async (release: string, requester = t.ci.secret, approver = t.sessions.admin) => {
    const created = await t.call(requester, 'POST', '/deploy-approval-requests', requestBody(nextCommit()));
    expect(created.status).toBe(201);
    const approved = await t.call(
      approver,
      'POST',
      `/deploy-approval-requests/${created.body.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    const tracking = t.stack.gateway.app.get(ApprovalTracking);
    await t.stack.gateway.app
      .get(DataSource)
      .transaction((manager) =>
        tracking.record(manager, created.body.id, { buildId: `B${release}`, releaseId: release }),
      );
    return created.body as { id: string; gitCommit: string };
  };
  const report = async (format = 'json', range = `from=${started.toISOString()}`) => {
    await t.auditSettled();
    const res = await fetch(`${t.stack.gateway.url}/api/v1/reports/deployments?${range}&format=${format}`, {
      headers: { authorization: `Bearer ${t.sessions.admin}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  /** The release's row, once the promote's event has its outcome (written as the response ends). */
  const rowOf = async (release: string): Promise<ReportRow> => {
    for (let attempt = 0; ; attempt++) {
      const answer = await report();
      const rows = (JSON.parse(answer.text) as { rows: ReportRow[] }).rows.filter(
        (r) => r.releaseId === release,
      );
      if ((rows.length > 0 && rows[0].result !== 'open') || attempt === 50) {
        expect(rows).toHaveLength(1);
        return rows[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };

  it('shows an approved deploy with its commit, build, requester and approver, and no exception', async () => {
    const release = await newRelease();
    const approval = await approvedFor(release);
    expect(await promote(t.stack.tokens.deployer, release)).toBe(200);
    await t.stack.gateway.app
      .get(ApprovalTracking)
      .markDeployed(approval.id, { email: 'deployer@example.com' });
    expect(await rowOf(release)).toMatchObject({
      app: 'myapp',
      gitCommit: approval.gitCommit,
      buildId: `B${release}`,
      promotedBy: 'deployer@example.com',
      promotedByKind: 'token',
      approvalRequestId: approval.id,
      requester: 'deployer@example.com',
      approver: 'admin@example.com',
      approvedAt: expect.any(String),
      deployedAt: expect.any(String),
      result: 'success',
      exceptions: [],
    });
  });

  it('flags a person who deployed without an approval', async () => {
    const release = await newRelease();
    expect(await promote(t.sessions.deployer, release)).toBe(200);
    expect(await rowOf(release)).toMatchObject({
      promotedByKind: 'user',
      approvalRequestId: null,
      exceptions: ['unapproved_deploy_by_person'],
    });
  });

  it('flags a self-approved deploy (allowed by the setting)', async () => {
    expect(
      (await t.call(t.sessions.admin, 'PUT', '/settings/approvals.allow_self_approval', { value: true }))
        .status,
    ).toBe(200);
    try {
      const release = await newRelease();
      const adminsCi = await t.cicdToken('admin@example.com', 'admins-ci');
      await approvedFor(release, adminsCi.secret, t.sessions.admin);
      expect(await promote(t.stack.tokens.deployer, release)).toBe(200);
      expect((await rowOf(release)).exceptions).toEqual(['self_approved']);
    } finally {
      await t.call(t.sessions.admin, 'PUT', '/settings/approvals.allow_self_approval', { value: false });
    }
  });

  it('flags a promote after the approval expired', async () => {
    const release = await newRelease();
    const approval = await approvedFor(release);
    // The window ends just before the promote (a promote racing its expiry): built directly in the table.
    await t.db.query(
      'ALTER TABLE deploy_approval_requests DISABLE TRIGGER deploy_approval_requests_state_machine',
    );
    await t.db.query(
      "UPDATE deploy_approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1",
      [approval.id],
    );
    await t.db.query(
      'ALTER TABLE deploy_approval_requests ENABLE TRIGGER deploy_approval_requests_state_machine',
    );
    expect(await promote(t.stack.tokens.deployer, release)).toBe(200);
    expect((await rowOf(release)).exceptions).toEqual(['promoted_after_expiry']);
  });

  it('flags a build under the approval that named another commit, and an approval given by a token', async () => {
    const release = await newRelease();
    const approval = await approvedFor(release);
    const audit = t.stack.gateway.app.get(AuditRecorder);
    // What the rack proxy's gate records on a build it forwards under an approval.
    await audit.record({
      action: 'convox:build:create',
      decision: 'allow',
      status: 200,
      details: { approvalRequestId: approval.id, gitCommit: 'f'.repeat(40) },
    });
    // An approval event by a token: impossible through the API, so the report must still catch it.
    await audit.record({
      action: 'gateway:deploy_approval:approve',
      decision: 'allow',
      status: 200,
      resourceType: 'deploy_approval_request',
      resourceName: approval.id,
      principal: {
        kind: 'token',
        userId: '00000000-0000-4000-8000-000000000000',
        email: 'admin@example.com',
        name: 'Admin',
        roles: ['admin'],
        permissions: [],
        channel: 'api-token',
        tokenId: t.adminToken.id,
      },
    });
    expect(await promote(t.stack.tokens.deployer, release)).toBe(200);
    expect((await rowOf(release)).exceptions).toEqual(['commit_mismatch', 'approved_by_token']);
  });

  it('lists a refused promote without exceptions, and nothing outside the range', async () => {
    const release = await newRelease();
    expect(await promote(t.stack.tokens.viewer, release)).toBe(403);
    const row = await rowOf(release);
    expect(row).toMatchObject({ result: 'denied', app: 'myapp', promotedBy: 'viewer@example.com' });
    expect(row.exceptions).toEqual([]);
    const future = await report(
      'json',
      `from=${new Date(Date.now() + 3600_000).toISOString()}&to=${new Date(Date.now() + 7200_000).toISOString()}`,
    );
    expect(JSON.parse(future.text).rows).toEqual([]);
  });

  it('writes the same rows as CSV, exceptions joined with ;', async () => {
    const json = JSON.parse((await report()).text) as { rows: ReportRow[] };
    const csv = await report('csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'promotedAt,app,releaseId,buildId,gitCommit,promotedBy,promotedByKind,promotedByToken,result,status,approvalRequestId,approvalStatus,requester,requesterToken,approver,approvedAt,approvalExpiresAt,deployedAt,exceptions,auditEventId',
    );
    expect(lines).toHaveLength(json.rows.length + 1);
    const flagged = json.rows.find((r) => r.exceptions.length === 2)!;
    expect(lines.find((line) => line.includes(flagged.releaseId))).toContain(
      'commit_mismatch;approved_by_token',
    );
  });

  it('refuses bad ranges and people without gateway:audit:read', async () => {
    expect((await report('json', 'from=yesterday')).status).toBe(400);
    expect(
      (await report('json', `from=${new Date().toISOString()}&to=${started.toISOString()}`)).status,
    ).toBe(400);
    expect((await report('json', 'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
    expect((await report('xml')).status).toBe(400);
    const res = await fetch(`${t.stack.gateway.url}/api/v1/reports/deployments`, {
      headers: { authorization: `Bearer ${t.sessions.deployer}` },
    });
    expect(res.status).toBe(403);
  });
});
