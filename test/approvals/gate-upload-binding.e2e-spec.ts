import { randomBytes } from 'node:crypto';
import { nextCommit } from './approvals-fixture';
import { convoxAuth, sourceWith, startGateStack, type GateStack } from './gate-fixture';
import { ConvoxWire } from './convox-wire';

/**
 * A source upload names no commit, so the gate records it as an upload of the token for the app and binds
 * it to a deploy request only when a build names it (`url`) under the request its `git-sha` finds. A deploy
 * from the wrong commit therefore uses up nothing, and each approval is used by the build of its own commit.
 */
describe('deploy gate: uploads are bound to an approval by the build', () => {
  let gate: GateStack;

  beforeAll(async () => {
    gate = await startGateStack();
  }, 60_000);
  afterAll(() => gate?.close());

  /** The raw upload `convox build` makes; answers the status and, on success, the object url. */
  async function upload(
    app: string,
    source: Buffer,
    secret = gate.env.ci.secret,
    key = `tmp/${randomBytes(15).toString('hex')}.tgz`,
  ): Promise<{ status: number; url: string; body: unknown }> {
    const response = await fetch(`${gate.env.stack.proxyUrl}/apps/${app}/objects/${key}?`, {
      method: 'POST',
      headers: { authorization: convoxAuth(secret), 'content-type': 'application/octet-stream' },
      body: source,
    });
    const body = (await response.json()) as { Url?: string };
    return { status: response.status, url: body.Url ?? '', body };
  }

  /** The build form `convox build` posts after its upload. */
  async function build(
    app: string,
    url: string,
    gitSha: string,
    secret = gate.env.ci.secret,
  ): Promise<{ status: number; body: { id?: string; error?: string } }> {
    const response = await fetch(`${gate.env.stack.proxyUrl}/apps/${app}/builds?`, {
      method: 'POST',
      headers: { authorization: convoxAuth(secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ url, 'git-sha': gitSha, description: 'ci' }).toString(),
    });
    return { status: response.status, body: (await response.json()) as { id?: string; error?: string } };
  }

  async function uploadRow(url: string): Promise<{ approval_request_id: string | null } | undefined> {
    const result = await gate.env.db.query<{ approval_request_id: string | null }>(
      'SELECT approval_request_id FROM deploy_source_uploads WHERE object_url = $1',
      [url],
    );
    return result.rows[0];
  }

  it('a deploy from the wrong commit is refused at its build and uses up nothing; the right commit then deploys', async () => {
    const { id, commit } = await gate.approved('myapp');
    const wrong = nextCommit();
    const mark = gate.rack.mark();
    const refused = await gate.convox.deploy('myapp', sourceWith(), wrong);
    expect(refused).toMatchObject({
      code: 1,
      stderr: `ERROR: no approved deploy request for myapp at ${wrong}\n`,
    });
    // the upload reached the rack, the build did not
    expect(gate.rack.calls(mark).filter((call) => call.startsWith('POST'))).toEqual([
      expect.stringMatching(/^POST \/apps\/myapp\/objects\/tmp\//),
    ]);
    expect(await gate.row(id)).toMatchObject({ status: 'approved', object_url: null, build_id: null });

    const deployed = await gate.convox.deploy('myapp', sourceWith(), commit);
    expect(deployed).toMatchObject({ code: 0, stderr: '' });
    const row = await gate.row(id);
    expect(row.status).toBe('deployed');
    expect(row.object_url).toMatch(/^object:\/\/myapp\/tmp\//);
    expect(await uploadRow(row.object_url!)).toEqual({ approval_request_id: id });
  }, 60_000);

  it.each([
    ['the older approval first', [0, 1]],
    ['the newer approval first', [1, 0]],
  ])(
    'two approvals of one token and app each deploy their own commit (%s)',
    async (_name, order) => {
      const approvals = [await gate.approved('myapp'), await gate.approved('myapp')];
      for (const index of order) {
        const { id, commit } = approvals[index];
        const deployed = await gate.convox.deploy('myapp', sourceWith(), commit);
        expect(deployed).toMatchObject({ code: 0, stderr: '' });
        expect((await gate.row(id)).status).toBe('deployed');
      }
      const [first, second] = await Promise.all(approvals.map(({ id }) => gate.row(id)));
      expect(first.object_url).not.toBe(second.object_url);
      expect(first.build_id).not.toBe(second.build_id);
    },
    60_000,
  );

  it('an upload of one token cannot be built by another, even for the same app', async () => {
    const other = await gate.env.cicdToken('deployer@example.com', 'ci-other');
    const mine = await gate.approvedFor(gate.env.ci, 'api');
    const theirs = await gate.approvedFor(other, 'api');
    const uploaded = await upload('api', sourceWith());
    expect(uploaded.status).toBe(200);
    const refused = await build('api', uploaded.url, theirs.commit, other.secret);
    expect(refused).toEqual({
      status: 403,
      body: {
        error: `the build's source ${uploaded.url} is not an upload this token made for api through the gateway; upload the source and build it in the same run (convox build does both) to use deploy request ${theirs.id}`,
      },
    });
    expect(await uploadRow(uploaded.url)).toEqual({ approval_request_id: null });
    // its own token builds it, and the other token's own upload builds under its approval
    expect((await build('api', uploaded.url, mine.commit)).status).toBe(200);
    const own = await new ConvoxWire(gate.env.stack.proxyUrl, other.secret).build(
      'api',
      sourceWith(),
      theirs.commit,
    );
    expect(own).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('an upload made before an approval was approved cannot be built under it', async () => {
    const earlier = await gate.approved('myapp');
    const uploaded = await upload('myapp', sourceWith());
    expect(uploaded.status).toBe(200);
    const later = await gate.approved('myapp');
    const approvedAt = (
      await gate.env.db.query<{ approved_at: Date }>(
        'SELECT approved_at FROM deploy_approval_requests WHERE id = $1',
        [later.id],
      )
    ).rows[0].approved_at;
    const refused = await build('myapp', uploaded.url, later.commit);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(
      new RegExp(
        `^source ${uploaded.url} was uploaded at \\S+Z, before deploy request ${later.id} was approved at ${approvedAt.toISOString().replace(/\./g, '\\.')}; upload the source again to build it under this approval \\(convox build does both\\)$`,
      ),
    );
    expect((await gate.row(later.id)).build_id).toBeNull();
    // the approval it was made under builds it; the later one builds a fresh upload
    expect((await build('myapp', uploaded.url, earlier.commit)).status).toBe(200);
    expect(await gate.convox.build('myapp', sourceWith(), later.commit)).toMatchObject({
      code: 0,
      stderr: '',
    });
  }, 60_000);

  it('one upload is built once: a second approval naming it is refused, naming the first', async () => {
    const first = await gate.approved('myapp');
    const second = await gate.approved('myapp');
    const uploaded = await upload('myapp', sourceWith());
    expect((await build('myapp', uploaded.url, first.commit)).status).toBe(200);
    const again = await build('myapp', uploaded.url, second.commit);
    expect(again).toEqual({
      status: 403,
      body: {
        error: `source ${uploaded.url} was already built under deploy request ${first.id}; upload the source again to build it under deploy request ${second.id} (convox build does both)`,
      },
    });
    expect(await gate.row(second.id)).toMatchObject({ status: 'approved', build_id: null, object_url: null });
    expect(await uploadRow(uploaded.url)).toEqual({ approval_request_id: first.id });
  }, 60_000);

  it('two builds racing for one upload under two approvals: exactly one is let through', async () => {
    const approvals = [await gate.approved('myapp'), await gate.approved('myapp')];
    const uploaded = await upload('myapp', sourceWith());
    const answers = await Promise.all(approvals.map(({ commit }) => build('myapp', uploaded.url, commit)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    const winner = approvals[answers.findIndex((answer) => answer.status === 200)];
    expect(answers.find((answer) => answer.status === 403)!.body.error).toMatch(
      new RegExp(`^source ${uploaded.url} was already built under deploy request ${winner.id};`),
    );
    expect(await uploadRow(uploaded.url)).toEqual({ approval_request_id: winner.id });
    const rows = await Promise.all(approvals.map(({ id }) => gate.row(id)));
    expect(rows.filter((row) => row.build_id !== null)).toHaveLength(1);
  }, 60_000);

  it('two builds racing for one approval with two uploads: exactly one is let through', async () => {
    const { id, commit } = await gate.approved('myapp');
    const uploads = [await upload('myapp', sourceWith()), await upload('myapp', sourceWith())];
    const answers = await Promise.all(uploads.map(({ url }) => build('myapp', url, commit)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    const row = await gate.row(id);
    const bound = uploads[answers.findIndex((answer) => answer.status === 200)].url;
    expect(row.object_url).toBe(bound);
    expect(answers.find((answer) => answer.status === 403)!.body.error).toBe(
      `this approval was already used for build ${row.build_id} (deploy request ${id}); request a new approval to build again`,
    );
  }, 60_000);

  it('image patterns are checked against the manifests of the upload the build names', async () => {
    await gate.setting(
      'deploy.service_image_patterns',
      { web: 'registry\\.example\\.com/web:{{GIT_COMMIT}}' },
      'api',
    );
    try {
      const { id, commit } = await gate.approved('api');
      const good = await upload('api', sourceWith(`registry.example.com/web:${commit}`));
      const bad = await upload('api', sourceWith('registry.example.com/web:latest'));
      const refused = await build('api', bad.url, commit);
      expect(refused).toEqual({
        status: 403,
        body: {
          error: `build refused by the image patterns of api: service web image "registry.example.com/web:latest" does not match "registry\\.example\\.com/web:${commit}"`,
        },
      });
      expect(await uploadRow(bad.url)).toEqual({ approval_request_id: null });
      expect((await build('api', good.url, commit)).status).toBe(200);
      expect((await gate.row(id)).object_url).toBe(good.url);
    } finally {
      await gate.setting('deploy.service_image_patterns', {}, 'api');
    }
  }, 60_000);

  it('an object key is uploaded once: a second upload to it is refused before it reaches the rack', async () => {
    await gate.approved('myapp');
    const key = `tmp/${randomBytes(15).toString('hex')}.tgz`;
    expect((await upload('myapp', sourceWith(), undefined, key)).status).toBe(200);
    const mark = gate.rack.mark();
    const again = await upload('myapp', sourceWith('evil/image:latest'), undefined, key);
    expect(again).toMatchObject({
      status: 403,
      body: {
        error: `${key} of myapp was already uploaded through a deploy approval and is not overwritten; upload the source under a new name (convox build picks a fresh one each run)`,
      },
    });
    expect(gate.rack.calls(mark)).toEqual([]);
  }, 60_000);

  it("a request's timeline shows the upload once a build bound it, and not before", async () => {
    const { id, commit } = await gate.approved('myapp');
    const uploaded = await upload('myapp', sourceWith());
    await gate.env.auditSettled();
    const actions = async () => {
      const story = await gate.env.call(
        gate.env.sessions.admin,
        'GET',
        `/deploy-approval-requests/${id}/audit-events`,
      );
      expect(story.status).toBe(200);
      return (story.body as { action: string }[]).map((event) => event.action);
    };
    expect(await actions()).not.toContain('convox:object:create');
    expect((await build('myapp', uploaded.url, commit)).status).toBe(200);
    await gate.env.auditSettled();
    expect(await actions()).toEqual(expect.arrayContaining(['convox:object:create', 'convox:build:create']));
  }, 60_000);
});
