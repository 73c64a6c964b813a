import { DataSource } from 'typeorm';
import { startNotificationSinks, type NotificationSinks } from '../../src/dev/notification-sinks';
import type { Principal } from '../../src/access-control/principal';
import { MfaAttemptsService } from '../../src/mfa/mfa-attempts.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { UsersService } from '../../src/users/users.service';
import { hostileApprovalNotice } from '../../src/notifications/notice-fixture';
import { verifyWebhook } from '../../src/notifications/webhook-signature';
import { enrolTotp, awayFromStepBoundary, startMfaStack, type MfaStack } from '../mfa/mfa-stack';

const SECRET = 'notifications-e2e-signing-secret';

interface WebhookDelivery {
  verdict: string;
  headers: Record<string, string>;
  body: { id: string; type: string; data: Record<string, unknown> };
}
interface Email {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

describe('notifications through the job queue to the development sinks (Slack, signed webhook, SMTP)', () => {
  let sinks: NotificationSinks;
  let stack: MfaStack;

  beforeAll(async () => {
    sinks = await startNotificationSinks({ webhookSecret: SECRET, emailTo: ['approvers@example.com'] });
    stack = await startMfaStack(sinks.settingsEnvironment);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await sinks?.close();
  });

  it('delivers a deploy-approval notice to all three channels with requester text unable to inject', async () => {
    const { kind: _kind, url: _url, ...notice } = hostileApprovalNotice({ requestId: 'e2e-created' });
    const { app } = stack.gateway;
    await app
      .get(DataSource)
      .transaction((manager) => app.get(NotificationsService).approval(notice, manager));
    const isOurs = (m: { content: unknown }) => JSON.stringify(m.content).includes('e2e-created');

    const slack = await sinks.inbox.waitFor((m) => m.channel === 'slack' && isOurs(m));
    const slackJson = JSON.stringify(slack.content);
    expect(slackJson).not.toContain('<!channel>');
    expect(slackJson).not.toContain('<@U024BE7LH>');
    expect(slackJson).not.toContain('<http://evil.example');
    expect(slackJson).toContain(
      '&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;http://evil.example|click here&gt; &amp; more',
    );
    expect((slack.content as { text: string }).text).toBe('Deploy approval requested: myapp at aaaaaaa');

    const webhook = await sinks.inbox.waitFor((m) => m.channel === 'webhook' && isOurs(m));
    const delivery = webhook.content as WebhookDelivery;
    expect(delivery.verdict).toBe('valid');
    // Verified again here, independently of the sink, from what went over the wire.
    const raw = JSON.stringify(delivery.body);
    expect(
      verifyWebhook(
        SECRET,
        {
          signature: delivery.headers['x-rack-gateway-signature'],
          timestamp: delivery.headers['x-rack-gateway-timestamp'],
        },
        raw,
      ),
    ).toBe('valid');
    expect(
      verifyWebhook(
        'not-the-secret-at-all',
        {
          signature: delivery.headers['x-rack-gateway-signature'],
          timestamp: delivery.headers['x-rack-gateway-timestamp'],
        },
        raw,
      ),
    ).toBe('bad_signature');
    expect(delivery.body.type).toBe('approval.created');
    expect(delivery.headers['x-rack-gateway-delivery']).toBe(delivery.body.id);
    // JSON carries the text as typed: a JSON receiver escapes for its own output.
    expect(delivery.body.data).toMatchObject({
      app: 'myapp',
      message: notice.message,
      requestId: 'e2e-created',
    });

    const email = (await sinks.inbox.waitFor((m) => m.channel === 'email' && isOurs(m))).content as Email;
    expect(email.to).toEqual(['approvers@example.com']);
    expect(email.from).toContain('rack-gateway@example.com');
    expect(email.subject).toBe('[rack-gateway] Deploy approval requested: myapp at aaaaaaa');
    expect(email.text).toContain('Requested by: deployer@example.com');
    expect(email.text).toContain(notice.message);
  });

  it('notifies the locked user and every admin when five wrong MFA codes lock an account', async () => {
    const { secret: _secret } = await enrolTotp(stack, await stack.session('viewer'));
    await awayFromStepBoundary();
    const token = await stack.session('viewer');
    for (let i = 0; i < 5; i += 1)
      await stack.api('/api/v1/mfa/verify', token, { method: 'POST', body: '{"code":"000000"}' });
    const isLock = (m: { content: unknown }) => JSON.stringify(m.content).includes('viewer@example.com');
    const email = (
      await sinks.inbox.waitFor(
        (m) => m.channel === 'email' && isLock(m) && (m.content as Email).subject.includes('locked'),
      )
    ).content as Email;
    expect(email.subject).toBe('[rack-gateway] Account locked: viewer@example.com');
    expect(email.to.sort()).toEqual(['admin@example.com', 'viewer@example.com']);
    expect(email.text).toContain('5 failed MFA verifications');
    const slack = await sinks.inbox.waitFor((m) => m.channel === 'slack' && isLock(m));
    expect((slack.content as { text: string }).text).toBe('Account locked: viewer@example.com');
    const webhook = await sinks.inbox.waitFor((m) => m.channel === 'webhook' && isLock(m));
    expect((webhook.content as WebhookDelivery).body.type).toBe('account.locked');
  });

  it('writes the lockout notice in the locking transaction: none when it rolls back (503 when the jobs cannot be written), all when it commits', async () => {
    await enrolTotp(stack, await stack.session('ops'));
    const lockJobs = async () =>
      (
        await stack.db.query<{ name: string }>(
          `SELECT name FROM jobs.job WHERE data->'notice'->>'kind' = 'account_locked'
             AND data->'notice'->>'user' = 'ops@example.com' ORDER BY name`,
        )
      ).rows.map((row) => row.name);
    const lockedAt = async () =>
      (await stack.db.query("SELECT locked_at FROM users WHERE email = 'ops@example.com'")).rows[0].locked_at;
    // Armed in PostgreSQL: the commit that would lock ops@ fails, after the lock and its jobs were written.
    await stack.db.query(`
      CREATE FUNCTION test_refuse_lock() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test fault: lock refused at commit'; END $$;
      CREATE CONSTRAINT TRIGGER test_refuse_lock AFTER UPDATE ON users DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.email = 'ops@example.com' AND NEW.locked_at IS NOT NULL)
        EXECUTE FUNCTION test_refuse_lock();`);
    try {
      await awayFromStepBoundary();
      const token = await stack.session('ops');
      const answers: number[] = [];
      for (let i = 0; i < 5; i += 1)
        answers.push(
          (await stack.api('/api/v1/mfa/verify', token, { method: 'POST', body: '{"code":"000000"}' }))
            .status,
        );
      // The fifth failure tried to lock; its commit failed.
      expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(answers[4]).toBeGreaterThanOrEqual(500);
      expect(await lockedAt()).toBeNull();
      expect(await lockJobs()).toEqual([]);
    } finally {
      await stack.db.query('DROP TRIGGER test_refuse_lock ON users; DROP FUNCTION test_refuse_lock();');
    }
    const ops = await stack.gateway.app.get(UsersService).getByEmail('ops@example.com');
    const principal = { kind: 'user' as const, userId: ops.id, email: ops.email, roles: ops.roles };
    // Armed in PostgreSQL: the lock's notice jobs cannot be written. The lock is refused like an approval
    // change whose notices cannot be stored (503 notifications_unavailable), not with a bare 500.
    await stack.db.query(`
      CREATE FUNCTION test_refuse_lock_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.data->'notice'->>'user' = 'ops@example.com' THEN RAISE EXCEPTION 'test fault: no jobs'; END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER test_refuse_lock_jobs BEFORE INSERT ON jobs.job
        FOR EACH ROW EXECUTE FUNCTION test_refuse_lock_jobs();`);
    try {
      await expect(
        stack.gateway.app.get(MfaAttemptsService).failed(principal as Principal, 'code', 'wrong code'),
      ).rejects.toMatchObject({
        status: 503,
        response: { error: 'notifications_unavailable', message: expect.stringContaining('not locked') },
      });
      expect(await lockedAt()).toBeNull();
      expect(await lockJobs()).toEqual([]);
    } finally {
      await stack.db.query(
        'DROP TRIGGER test_refuse_lock_jobs ON jobs.job; DROP FUNCTION test_refuse_lock_jobs();',
      );
    }
    // The next failure locks, and its notice commits with it.
    await expect(
      stack.gateway.app.get(MfaAttemptsService).failed(principal as Principal, 'code', 'wrong code'),
    ).rejects.toMatchObject({ response: { error: 'user_locked' } });
    expect(await lockedAt()).not.toBeNull();
    expect(await lockJobs()).toEqual(['notify-email', 'notify-slack', 'notify-webhook']);
  });

  it('shows the delivered jobs to an admin with their state and attempts, and to nobody else', async () => {
    const admin = await stack.session('admin');
    const page = await stack.api('/api/v1/jobs?state=completed&queue=notify-email', admin);
    expect(page.status).toBe(200);
    const { jobs } = (await page.json()) as {
      jobs: { queue: string; state: string; attempts: number; args: { to: string[] } }[];
    };
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.every((j) => j.queue === 'notify-email' && j.state === 'completed' && j.attempts === 1)).toBe(
      true,
    );
    expect(jobs.map((j) => j.args.to).flat()).toContain('approvers@example.com');

    const first = (await (await stack.api('/api/v1/jobs?limit=1', admin)).json()) as {
      jobs: { id: string; createdAt: string }[];
      nextCursor: string;
    };
    expect(first.jobs).toHaveLength(1);
    const second = (await (
      await stack.api(`/api/v1/jobs?limit=1&cursor=${first.nextCursor}`, admin)
    ).json()) as { jobs: { id: string; createdAt: string }[] };
    expect(second.jobs).toHaveLength(1);
    expect(second.jobs[0].id).not.toBe(first.jobs[0].id);
    expect(second.jobs[0].createdAt <= first.jobs[0].createdAt).toBe(true);

    const viewer = await stack.api('/api/v1/jobs', await stack.session('deployer'));
    expect(viewer.status).toBe(403);
    const bad = await stack.api('/api/v1/jobs?state=cancelled-ish', admin);
    expect(bad.status).toBe(400);
    const badCursor = await stack.api('/api/v1/jobs?cursor=bm9wZQ', admin);
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({ error: 'invalid_cursor' });
  });

  it('never shows a webhook URL, signing key or SMTP password in the settings API', async () => {
    const admin = await stack.session('admin');
    const response = await stack.api('/api/v1/settings', admin);
    const text = await response.text();
    expect(text).not.toContain(sinks.url);
    expect(text).not.toContain(SECRET);
  });
});
