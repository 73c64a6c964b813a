import { nextCommit } from './approvals-fixture';
import { MIGRATE, sourceWith, startGateStack, type GateStack } from './gate-fixture';

/**
 * Each way the deploy gate refuses a cicd token, as the stock convox CLI shows it (`ERROR: <reason>`),
 * and that a refused call never reaches the rack.
 */
describe('deploy gate: refusals', () => {
  let gate: GateStack;

  beforeAll(async () => {
    gate = await startGateStack({ myappCommands: MIGRATE });
  }, 60_000);
  afterAll(() => gate?.close());

  /** Builds under a fresh approval and answers its release. */
  async function builtRelease(): Promise<{ id: string; commit: string; release: string }> {
    const { id, commit } = await gate.approved();
    const build = await gate.convox.build('myapp', sourceWith(), commit);
    expect(build.stderr).toBe('');
    return { id, commit, release: /Release: (R\S+)/.exec(build.stdout)![1] };
  }

  it('without any request: the upload is refused and nothing reaches the rack', async () => {
    const mark = gate.rack.mark();
    const build = await gate.convox.build('worker-app', sourceWith(), nextCommit());
    expect(build).toMatchObject({ code: 1, stderr: 'ERROR: no approved deploy request for worker-app\n' });
    expect(gate.rack.calls(mark)).toEqual(['GET /system']);
  });

  it('with a pending request only', async () => {
    const { id, commit } = await gate.requested('api');
    const build = await gate.convox.build('api', sourceWith(), commit);
    expect(build.stderr).toBe(
      `ERROR: deploy request ${id} for api at ${commit} is pending: nobody has approved it yet\n`,
    );
    // the refusal is audited as a denial (written once the response is over) linked to its request
    let denied: { action: string; decision: string; status: number }[] = [];
    for (let attempt = 0; attempt < 100 && denied.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      denied = (
        await gate.env.db.query<{ action: string; decision: string; status: number }>(
          `SELECT action, decision, status FROM audit_events
            WHERE action = 'convox:object:create' AND outcome_details::jsonb ->> 'approvalRequestId' = $1`,
          [id],
        )
      ).rows;
    }
    expect(denied).toEqual([{ action: 'convox:object:create', decision: 'deny', status: 403 }]);
  });

  it('with an expired approval, naming when it expired', async () => {
    const { id, commit } = await gate.approved('api');
    // Travel past the window: the trigger only lets an expiry move forwards, so it is set around it.
    await gate.env.db.query(
      'ALTER TABLE deploy_approval_requests DISABLE TRIGGER deploy_approval_requests_state_machine',
    );
    await gate.env.db.query(
      "UPDATE deploy_approval_requests SET expires_at = now() - interval '1 minute' WHERE id = $1",
      [id],
    );
    await gate.env.db.query(
      'ALTER TABLE deploy_approval_requests ENABLE TRIGGER deploy_approval_requests_state_machine',
    );
    const build = await gate.convox.build('api', sourceWith(), commit);
    expect(build.stderr).toMatch(
      new RegExp(
        `^ERROR: approval expired at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(deploy request ${id} for api at ${commit}\\)\\n$`,
      ),
    );
    expect((await gate.row(id)).status).toBe('expired');
  });

  it('a second build under one approval names the first build', async () => {
    const { id, commit } = await builtRelease();
    const row = await gate.row(id);
    const again = await gate.convox.build('myapp', sourceWith(), commit);
    expect(again.stderr).toBe(
      `ERROR: this approval was already used for build ${row.build_id} (deploy request ${id}); request a new approval to build again\n`,
    );
  });

  it('another app than the approved one', async () => {
    // worker-app: the token has no request there at all (the import test below makes one, later)
    const { commit } = await gate.approved('myapp');
    const build = await gate.convox.build('worker-app', sourceWith(), commit);
    expect(build.stderr).toBe('ERROR: no approved deploy request for worker-app\n');
  });

  it('another commit than the approved one', async () => {
    await gate.approved('myapp');
    const other = nextCommit();
    const build = await gate.convox.build('myapp', sourceWith(), other);
    expect(build.stderr).toBe(`ERROR: no approved deploy request for myapp at ${other}\n`);
  });

  it('a build without git-sha or with a short one', async () => {
    const { commit } = await gate.approved('myapp');
    const none = await gate.convox.build('myapp', sourceWith(), undefined);
    expect(none.stderr).toMatch(/^ERROR: a build under a deploy approval must name the approved commit/);
    const { commit: second } = await gate.approved('myapp');
    const short = await gate.convox.build('myapp', sourceWith(), second.slice(0, 7));
    expect(short.stderr).toBe(
      `ERROR: git-sha "${second.slice(0, 7)}" is not a full 40-character lower-case commit\n`,
    );
    expect(commit).not.toBe(second);
  });

  it('a command that is not approved, in-band on exec and as 403 on a detached start', async () => {
    const { release } = await builtRelease();
    const run = await gate.convox.run('myapp', 'web', 'bash -c id', release);
    expect(run.stdout).toContain(
      'ERROR: command not allowed under a deploy approval: command "bash -c id" is not in the approved deploy commands of myapp',
    );
    const response = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/services/web/processes`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`convox:${gate.env.ci.secret}`).toString('base64')}`,
        command: 'rm -rf /',
        release,
      },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error:
        'command not allowed under a deploy approval: command "rm -rf /" is not in the approved deploy commands of myapp',
    });
  });

  it('with an empty approved-commands list, no command at all', async () => {
    await gate.setting('deploy.approved_commands', [], 'myapp');
    try {
      const { release } = await builtRelease();
      const run = await gate.convox.run('myapp', 'web', 'bin/migrate', release);
      expect(run).toMatchObject({
        code: 1,
        stderr:
          'ERROR: command not allowed under a deploy approval: no commands are approved for myapp (the deploy.approved_commands setting is empty)\n',
      });
    } finally {
      await gate.setting('deploy.approved_commands', MIGRATE, 'myapp');
    }
  });

  it('run without --release, and exec into a process it did not start', async () => {
    const { release } = await builtRelease();
    const run = await gate.convox.run('myapp', 'web', 'bin/migrate');
    expect(run.stderr).toBe(
      'ERROR: a process started under a deploy approval must run the approved release (convox run --release <release>)\n',
    );
    const processes = await gate.rack.get<{ id: string }[]>('/apps/myapp/processes');
    const exec = await gate.convox.exec('myapp', processes[0].id, 'bin/migrate');
    expect(exec.stdout).toContain(
      `ERROR: no approved deploy request for myapp covers process ${processes[0].id}`,
    );
    const logs = await gate.convox.buildLogs('myapp', 'BAPI123456');
    expect(logs.stdout).toContain('ERROR: no approved deploy request for myapp covers build BAPI123456');
    const stop = await gate.convox.stop('myapp', processes[0].id);
    expect(stop.stderr).toContain(`no approved deploy request for myapp covers process ${processes[0].id}`);
    expect(release).toMatch(/^R/);
  });

  it('image patterns: a mismatching image refuses the build naming the service; the approved commit passes', async () => {
    await gate.setting(
      'deploy.service_image_patterns',
      { web: 'registry\\.example\\.com/web:{{GIT_COMMIT}}' },
      'api',
    );
    try {
      const bad = await gate.approved('api');
      const refused = await gate.convox.build(
        'api',
        sourceWith('registry.example.com/web:latest'),
        bad.commit,
      );
      expect(refused.stderr).toBe(
        `ERROR: build refused by the image patterns of api: service web image "registry.example.com/web:latest" does not match "registry\\.example\\.com/web:${bad.commit}"\n`,
      );
      expect((await gate.row(bad.id)).build_id).toBeNull();
      // the refused build used nothing up: the same approval builds a source whose image matches
      const ok = await gate.convox.build(
        'api',
        sourceWith(`registry.example.com/web:${bad.commit}`),
        bad.commit,
      );
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect((await gate.row(bad.id)).build_id).toMatch(/^B/);

      const fromSource = await gate.approved('api');
      const noImage = await gate.convox.build('api', sourceWith(undefined), fromSource.commit);
      expect(noImage.stderr).toMatch(
        /^ERROR: build refused by the image patterns of api: service web must use a pre-built image/,
      );

      const imported = await gate.approved('api');
      const importRun = await gate.convox.importBuild(
        'api',
        sourceWith(`registry.example.com/web:${imported.commit}`),
      );
      expect(importRun.stderr).toMatch(
        /^ERROR: api has image patterns .* which builds import cannot be checked against/,
      );
    } finally {
      await gate.setting('deploy.service_image_patterns', {}, 'api');
    }
  });

  it('builds import creates the one build of an approval, and only one', async () => {
    const { id } = await gate.approved('worker-app');
    const first = await gate.convox.importBuild('worker-app', sourceWith());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const row = await gate.row(id);
    expect(row.build_id).toMatch(/^B/);
    expect(row.release_id).toMatch(/^R/);
    const second = await gate.convox.importBuild('worker-app', sourceWith());
    expect(second.stderr).toBe(
      `ERROR: this approval was already used for build ${row.build_id} (deploy request ${id}); request a new approval to build again\n`,
    );
  });

  it('with approvals switched off the token is refused, never let through', async () => {
    const { commit } = await gate.approved('myapp');
    await gate.setting('approvals.enabled', false);
    try {
      const mark = gate.rack.mark();
      const build = await gate.convox.build('myapp', sourceWith(), commit);
      expect(build.stderr).toBe(
        'ERROR: deploy approvals are switched off (setting approvals.enabled), so this token may not upload source: it deploys only under an approved request\n',
      );
      expect(gate.rack.calls(mark)).toEqual(['GET /system']);
    } finally {
      await gate.setting('approvals.enabled', true);
    }
  });

  it('a token without deploy_with_approval keeps the plain permission refusal', async () => {
    const viewer = gate.env.stack.tokens.viewer;
    const response = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/builds`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`convox:${viewer}`).toString('base64')}` },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'permission denied: convox:build:create' });
  });
});
