import { sourceWith, startGateStack, type GateStack } from './gate-fixture';

const cli = (token: string) => `Basic ${Buffer.from(`convox:${token}`).toString('base64')}`;

/**
 * Tracking is written in the transaction that decided to forward: when it cannot be written the call
 * fails (the client never sees the rack's answer as a success) and nothing of it is recorded.
 */
describe('deploy gate: tracking in the forwarding transaction', () => {
  let gate: GateStack;

  beforeAll(async () => {
    gate = await startGateStack();
  }, 60_000);
  afterAll(() => gate?.close());

  /** A trigger that refuses `event` on `table` while the test body runs. */
  async function failing(table: string, when: string, body: () => Promise<void>): Promise<void> {
    await gate.env.db.query(`CREATE FUNCTION gate_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'tracking refused by the test'; END $$`);
    await gate.env.db.query(
      `CREATE TRIGGER gate_test_refuse BEFORE ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION gate_test_refuse()`,
    );
    try {
      await body();
    } finally {
      await gate.env.db.query(`DROP TRIGGER gate_test_refuse ON ${table}`);
      await gate.env.db.query('DROP FUNCTION gate_test_refuse()');
    }
  }

  it('an upload whose manifests cannot be stored fails, and no build can name it', async () => {
    const { id, commit } = await gate.approved();
    const key = `tmp/${'c'.repeat(30)}.tgz`;
    const upload = () =>
      fetch(`${gate.env.stack.proxyUrl}/apps/myapp/objects/${key}?`, {
        method: 'POST',
        headers: { authorization: cli(gate.env.ci.secret) },
        body: sourceWith(),
      });
    await failing('deploy_source_uploads', 'UPDATE', async () => {
      const refused = await upload();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({
        error: 'the deploy approval could not record this call, so it was not completed; try again',
      });
    });
    // the url and the manifests were one write: neither is there, so a build naming the url is refused
    const stored = await gate.env.db.query<{ object_url: string | null }>(
      `SELECT object_url FROM deploy_source_uploads WHERE app = 'myapp' AND object_key = $1`,
      [key],
    );
    expect(stored.rows).toEqual([{ object_url: null }]);
    const build = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/builds?`, {
      method: 'POST',
      headers: {
        authorization: cli(gate.env.ci.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ url: `object://myapp/${key}`, 'git-sha': commit }).toString(),
    });
    expect(build.status).toBe(403);
    expect(await build.json()).toEqual({
      error: `the build's source object://myapp/${key} is not an upload this token made for myapp through the gateway; upload the source and build it in the same run (convox build does both) to use deploy request ${id}`,
    });
    expect((await gate.row(id)).object_url).toBeNull();
    const retry = await gate.convox.build('myapp', sourceWith(), commit);
    expect(retry).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('a build whose id cannot be recorded fails with 503; the approval still allows the build afterwards', async () => {
    const { id, commit } = await gate.approved();
    const upload = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/objects/tmp/${'a'.repeat(30)}.tgz?`, {
      method: 'POST',
      headers: { authorization: cli(gate.env.ci.secret), 'content-type': 'application/octet-stream' },
      body: sourceWith(),
    });
    expect(upload.status).toBe(200);
    const { Url } = (await upload.json()) as { Url: string };
    const build = () =>
      fetch(`${gate.env.stack.proxyUrl}/apps/myapp/builds?`, {
        method: 'POST',
        headers: {
          authorization: cli(gate.env.ci.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ url: Url, 'git-sha': commit, description: 'ci' }).toString(),
      });
    await failing('deploy_approval_requests', 'UPDATE OF build_id', async () => {
      const refused = await build();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({
        error: 'the deploy approval could not record this call, so it was not completed; try again',
      });
    });
    expect((await gate.row(id)).build_id).toBeNull();
    const accepted = await build();
    expect(accepted.status).toBe(200);
    const made = (await accepted.json()) as { id: string };
    expect((await gate.row(id)).build_id).toBe(made.id);
  }, 60_000);

  it('two builds racing for one approval: exactly one is let through', async () => {
    const { commit } = await gate.approved();
    const upload = await fetch(`${gate.env.stack.proxyUrl}/apps/myapp/objects/tmp/${'b'.repeat(30)}.tgz?`, {
      method: 'POST',
      headers: { authorization: cli(gate.env.ci.secret) },
      body: sourceWith(),
    });
    const { Url } = (await upload.json()) as { Url: string };
    const statuses = await Promise.all(
      [1, 2, 3].map(() =>
        fetch(`${gate.env.stack.proxyUrl}/apps/myapp/builds?`, {
          method: 'POST',
          headers: {
            authorization: cli(gate.env.ci.secret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ url: Url, 'git-sha': commit }).toString(),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([200, 403, 403]);
  }, 60_000);
});
