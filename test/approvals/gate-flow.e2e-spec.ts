import { MIGRATE, sourceWith, startGateStack, type GateStack } from './gate-fixture';

/**
 * A cicd token (convox:deploy:deploy_with_approval, no direct deploy permission) deploys through the rack
 * proxy under one approved request, with the requests the stock convox CLI sends, and every call made
 * under the approval is recorded on the request and linked to it in the audit log.
 */
describe('deploy gate: the whole flow', () => {
  let gate: GateStack;

  beforeAll(async () => {
    gate = await startGateStack({ myappCommands: MIGRATE });
  }, 60_000);
  afterAll(() => gate?.close());

  it('convox build, run --release and releases promote under one approval, then nothing more', async () => {
    const { id, commit } = await gate.approved();

    const build = await gate.convox.build('myapp', sourceWith(), commit);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const release = /Release: (R\S+)/.exec(build.stdout)![1];
    const built = await gate.row(id);
    expect(built).toMatchObject({ status: 'approved', release_id: release });
    expect(built.object_url).toMatch(/^object:\/\/myapp\/tmp\/[0-9a-f]{30}\.tgz$/);
    expect(built.build_id).toMatch(/^B/);
    // `convox releases info`: the approved release, with env masked for the token; no other release
    const auth = { authorization: `Basic ${Buffer.from(`convox:${gate.env.ci.secret}`).toString('base64')}` };
    const info = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/releases/${release}?`, { headers: auth });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { id: string; env: string }).env).toMatch(/^\w+=\*{20}/m);
    const other = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/releases/RNOTAPPROVED?`, {
      headers: auth,
    });
    expect(await other.json()).toEqual({
      error: 'no approved deploy request for myapp covers release RNOTAPPROVED',
    });

    const mark = gate.rack.mark();

    const run = await gate.convox.run('myapp', 'web', 'bin/migrate', release);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const ran = await gate.row(id);
    expect(ran.process_ids).toHaveLength(1);
    expect(ran.exec_commands).toEqual([
      expect.objectContaining({ processId: ran.process_ids[0], command: 'bin/migrate' }),
    ]);
    expect(gate.rack.calls(mark)).toContain(`DELETE /apps/myapp/processes/${ran.process_ids[0]}`);

    const promote = await gate.convox.promote('myapp', release);
    expect(promote).toMatchObject({ code: 0, stderr: '' });
    expect((await gate.row(id)).status).toBe('deployed');

    // everything under this approval is refused from now on, and never reaches the rack
    const after = gate.rack.mark();
    const again = await gate.convox.run('myapp', 'web', 'bin/migrate', release);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(
        `^ERROR: this approval was already used: deploy request ${id} for myapp at ${commit} deployed release ${release}`,
      ),
    );
    const rebuild = await gate.convox.build('myapp', sourceWith(), commit);
    expect(rebuild.stderr).toMatch(
      /^ERROR: (this approval was already used|no approved deploy request for myapp)/,
    );
    const repromote = await gate.convox.promote('myapp', release);
    expect(repromote.stderr).toMatch(/^ERROR: this approval was already used/);
    expect(
      gate.rack.calls(after).filter((call) => !call.startsWith('GET /apps/myapp') && call !== 'GET /system'),
    ).toEqual([]);
  }, 60_000);

  it('convox deploy builds and promotes in one go', async () => {
    const { id, commit } = await gate.approved();
    const deploy = await gate.convox.deploy('myapp', sourceWith(), commit);
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
    const row = await gate.row(id);
    expect(row.status).toBe('deployed');
    expect(deploy.stdout).toContain(`Release: ${row.release_id}`);
    expect((await gate.rack.untilRunning('myapp')).release).toBe(row.release_id);
  }, 60_000);

  it('links every proxied call made under the approval to it in the audit log', async () => {
    const { id, commit } = await gate.approved();
    const build = await gate.convox.build('myapp', sourceWith(), commit);
    const release = /Release: (R\S+)/.exec(build.stdout)![1];
    await gate.convox.run('myapp', 'web', 'bin/migrate', release);
    await gate.convox.promote('myapp', release);
    await gate.env.auditSettled();
    // The request's timeline (what the web console's detail page shows): the upload named no request when
    // it was made, and is there because the build bound it.
    const timeline = await gate.env.call(
      gate.env.sessions.admin,
      'GET',
      `/deploy-approval-requests/${id}/audit-events`,
    );
    expect(timeline.status).toBe(200);
    const proxied = (
      timeline.body as { action: string; decision: string; rule: string; details: Record<string, unknown> }[]
    ).filter((event) => event.action.startsWith('convox:'));
    expect(new Set(proxied.map((row) => row.action))).toEqual(
      new Set([
        'convox:object:create',
        'convox:build:create',
        'convox:log:read',
        'convox:build:read',
        'convox:process:start',
        'convox:process:exec',
        'convox:process:terminate',
        'convox:release:promote',
      ]),
    );
    expect(proxied.every((row) => row.decision === 'allow' && row.rule === 'deploy-approval')).toBe(true);
    // the upload's event and the build's name the same upload
    const uploadIds = proxied
      .filter((row) => row.action === 'convox:object:create' || row.action === 'convox:build:create')
      .map((row) => row.details.sourceUploadId);
    expect(uploadIds).toHaveLength(2);
    expect(uploadIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(uploadIds[1]).toBe(uploadIds[0]);
    // the build's event names the commit it was made from, which the deployments report compares
    const builds = await gate.env.db.query<{ details: string }>(
      `SELECT details FROM audit_events WHERE action = 'convox:build:create' AND details::jsonb ->> 'approvalRequestId' = $1`,
      [id],
    );
    expect(builds.rows.map((row) => (JSON.parse(row.details) as { gitCommit?: string }).gitCommit)).toEqual([
      commit,
    ]);
    const report = await gate.env.call(gate.env.sessions.admin, 'GET', '/reports/deployments?format=json');
    expect(report.status).toBe(200);
    const rows = (
      report.body as { rows: { approvalRequestId: string; releaseId: string; exceptions: string[] }[] }
    ).rows;
    expect(rows.filter((row) => row.approvalRequestId === id)).toEqual([
      expect.objectContaining({ releaseId: release, exceptions: [] }),
    ]);
  }, 60_000);
});
