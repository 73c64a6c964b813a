import { Client } from 'pg';
import { ApprovalExpiry } from '../../src/approvals/approval-expiry.service';
import { startNotificationSinks, type NotificationSinks } from '../../src/dev/notification-sinks';
import { type ChildGateway, sharedGatewaySecrets, startChildGateway } from '../harness/child-gateway';
import { RACK_PASSWORD } from '../proxy/proxy-stack';
import { sourceWith, startGateStack, type GateStack } from './gate-fixture';

const SECRETS = sharedGatewaySecrets();
// The advisory lock a commit waits on in the "killed right after commit" test.
const COMMIT_GATE_LOCK = 7_000_313;
const CHANNELS = ['notify-email', 'notify-slack', 'notify-webhook'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Notification jobs of a deploy approval's lifecycle change are written in the change's own transaction
 * (the job queue's tables live in the same database). Faults are armed in PostgreSQL itself: a deferred
 * constraint trigger runs at COMMIT, after the change and its jobs were written, and either fails the
 * commit or makes it wait on an advisory lock the test holds.
 */
describe('deploy approval notices commit with the change they tell about', () => {
  let gate: GateStack;
  let sinks: NotificationSinks;
  let child: ChildGateway | undefined;
  let db: Client;

  beforeAll(async () => {
    sinks = await startNotificationSinks({
      webhookSecret: 'atomicity-e2e-webhook-secret',
      emailTo: ['approvers@example.com'],
    });
    gate = await startGateStack({ env: { ...SECRETS, ...sinks.settingsEnvironment } });
    db = gate.env.db;
    await db.query(`
      CREATE TABLE test_commit_faults (request_id uuid, status text, fault text NOT NULL);
      CREATE FUNCTION test_commit_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE armed text;
      BEGIN
        SELECT fault INTO armed FROM test_commit_faults WHERE request_id = NEW.id AND status = NEW.status;
        IF armed = 'fail' THEN RAISE EXCEPTION 'test fault: commit of % refused', NEW.status; END IF;
        IF armed = 'wait' THEN PERFORM pg_advisory_xact_lock(${COMMIT_GATE_LOCK}); END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER test_commit_fault AFTER UPDATE ON deploy_approval_requests
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_commit_fault();`);
  }, 60_000);
  afterAll(async () => {
    await child?.stop();
    await db?.query(`DROP TRIGGER IF EXISTS test_commit_fault ON deploy_approval_requests;
      DROP FUNCTION IF EXISTS test_commit_fault(); DROP TABLE IF EXISTS test_commit_faults;`);
    await gate?.close();
    await sinks?.close();
  });

  const arm = (id: string, status: string, fault: 'fail' | 'wait') =>
    db.query('INSERT INTO test_commit_faults VALUES ($1, $2, $3)', [id, status, fault]);
  const disarm = (id: string) => db.query('DELETE FROM test_commit_faults WHERE request_id = $1', [id]);
  /** The notification jobs stored for `id` and `event`, by queue (any state: queued, done or retrying). */
  const jobsFor = async (id: string, event: string, reader: Client = db): Promise<string[]> =>
    (
      await reader.query<{ name: string }>(
        `SELECT name FROM jobs.job WHERE data->'notice'->>'requestId' = $1 AND data->'notice'->>'event' = $2
          ORDER BY name`,
        [id, event],
      )
    ).rows.map((row) => row.name);
  const statusOf = async (id: string) => (await gate.row(id)).status;
  const delivered = (id: string, type: string) =>
    sinks.inbox.waitFor(
      (m) =>
        m.channel === 'webhook' &&
        JSON.stringify(m.content).includes(id) &&
        JSON.stringify(m.content).includes(`"${type}"`),
    );
  const approve = (id: string, base = gate.env.stack.gateway.url) =>
    fetch(`${base}/api/v1/deploy-approval-requests/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gate.env.sessions.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'ok' }),
    });

  it('a created request has its notice jobs, one per configured channel, delivered to the sinks', async () => {
    const { id } = await gate.requested();
    expect(await jobsFor(id, 'created')).toEqual(CHANNELS);
    await delivered(id, 'approval.created');
  });

  it('an approval whose transaction rolls back leaves no job, and the retried approval leaves its jobs', async () => {
    const { id } = await gate.requested();
    await arm(id, 'approved', 'fail');
    const refused = await approve(id);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(await statusOf(id)).toBe('pending');
    // The jobs were written before the commit failed; none of them survived it.
    expect(await jobsFor(id, 'approved')).toEqual([]);

    await disarm(id);
    expect((await approve(id)).status).toBe(200);
    expect(await jobsFor(id, 'approved')).toEqual(CHANNELS);
    await delivered(id, 'approval.approved');
  });

  it('an expiry by the sweeper that rolls back leaves no job; the next sweep expires it with its jobs', async () => {
    const { id } = await gate.requested();
    // Overdue at once: not a change the state machine's trigger allows, so the test makes it directly.
    const machine = 'TRIGGER deploy_approval_requests_state_machine';
    await db.query(`ALTER TABLE deploy_approval_requests DISABLE ${machine}`);
    await db.query(
      "UPDATE deploy_approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    await db.query(`ALTER TABLE deploy_approval_requests ENABLE ${machine}`);
    const expiry = gate.env.stack.gateway.app.get(ApprovalExpiry);
    await arm(id, 'expired', 'fail');
    await expiry.sweep();
    expect(await statusOf(id)).toBe('pending');
    expect(await jobsFor(id, 'expired')).toEqual([]);

    await disarm(id);
    await expiry.sweep();
    expect(await statusOf(id)).toBe('expired');
    expect(await jobsFor(id, 'expired')).toEqual(CHANNELS);
    await delivered(id, 'approval.expired');
  });

  it('a promote whose tracking commit fails leaves no deployed job; the promote that commits leaves them', async () => {
    const { id, commit } = await gate.approved();
    const build = await gate.convox.build('myapp', sourceWith(), commit);
    expect(build.code).toBe(0);
    const release = /Release: (R\S+)/.exec(build.stdout)![1];
    await arm(id, 'deployed', 'fail');
    const failed = await gate.convox.promote('myapp', release);
    expect(failed.code).toBe(1);
    expect(await statusOf(id)).toBe('approved');
    expect(await jobsFor(id, 'deployed')).toEqual([]);

    await disarm(id);
    expect(await gate.convox.promote('myapp', release)).toMatchObject({ code: 0, stderr: '' });
    expect(await statusOf(id)).toBe('deployed');
    expect(await jobsFor(id, 'deployed')).toEqual(CHANNELS);
    const notice = (await delivered(id, 'approval.deployed')).content as {
      body: { data: { actor: string } };
    };
    // The deploying token is named like the requester line names it, not only as "token of <owner>".
    expect(notice.body.data.actor).toMatch(/^token \S+ \(\S+@example\.com\)$/);
  }, 60_000);

  it('an approval committed by a gateway process killed before it could do anything more still has its jobs', async () => {
    child = await startChildGateway(gate.env.stack.gateway.databaseUrl, {
      ...SECRETS,
      ...sinks.settingsEnvironment,
      RACK_URL: gate.env.stack.rack.url,
      RACK_TOKEN: RACK_PASSWORD,
    });
    const { id } = await gate.requested();
    await arm(id, 'approved', 'wait');
    const holder = new Client({ connectionString: gate.env.stack.gateway.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [COMMIT_GATE_LOCK]);
      void approve(id, child.url).catch(() => undefined);
      // The child's COMMIT is now running the deferred trigger, waiting for the lock we hold.
      for (let i = 0; ; i++) {
        const waiting = await db.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
          [COMMIT_GATE_LOCK],
        );
        if (waiting.rowCount) break;
        if (i > 300) throw new Error('the approval never reached its commit');
        await pause(50);
      }
      // Neither the change nor its jobs are visible before the commit.
      expect(await statusOf(id)).toBe('pending');
      expect(await jobsFor(id, 'approved')).toEqual([]);
      // Nothing of the child runs after this: whatever it meant to do once the commit returned never happens.
      child.child.kill('SIGKILL');
      await new Promise((resolve) => child!.child.once('exit', resolve));
      await holder.query('SELECT pg_advisory_unlock($1)', [COMMIT_GATE_LOCK]);
    } finally {
      await holder.end();
    }
    // PostgreSQL finishes the commit on its own; the change and its jobs appear together.
    for (let i = 0; (await statusOf(id)) === 'pending'; i++) {
      if (i > 200) throw new Error('the commit never finished');
      await pause(50);
    }
    expect(await statusOf(id)).toBe('approved');
    expect(await jobsFor(id, 'approved')).toEqual(CHANNELS);
    // ... and the surviving process delivers them.
    await delivered(id, 'approval.approved');
  }, 60_000);
});
